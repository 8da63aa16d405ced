"""`az login`, `az account`, `az configure` / `az config`, `az group`, `az provider`, `az extension`,
`az version`: the account around the sandbox workspace (one subscription, its resource groups)."""
from __future__ import annotations

from typing import Any

from azure.cli.commands import arg, command
from azure.cli.context import CLI_VERSION, EXTENSION_VERSION, CLIError, Context
from sandbox import account as _account
from sandbox.errors import SandboxError

TENANT = str(__import__("uuid").uuid5(__import__("uuid").NAMESPACE_URL, "https://dp100.sandbox/tenant"))
KNOWN_EXTENSIONS = {"ml": EXTENSION_VERSION}


def _subscription(ctx: Context) -> dict[str, Any]:
    from sandbox.security import principals

    me = principals.cli_principal(ctx.ws)
    user = {"name": me.app_id, "type": "servicePrincipal"} if me.kind == principals.SERVICE_PRINCIPAL else \
        {"name": me.name, "type": "user"}
    return {"cloudName": "AzureCloud", "homeTenantId": TENANT, "id": ctx.ws.subscription_id, "isDefault": True,
            "managedByTenants": [], "name": "dp100 sandbox subscription", "state": "Enabled", "tenantId": TENANT,
            "user": user}


def _engine(func: Any, *args: Any) -> Any:
    try:
        return func(*args)
    except SandboxError as exc:
        raise CLIError(str(exc), 3 if exc.code == "ResourceNotFound" else 1) from None


# -- login ------------------------------------------------------------------------------------
@command("login", arg("--use-device-code", action="store_true"), arg("--identity", action="store_true"),
         arg("--service-principal", action="store_true"), arg("--username", "-u"), arg("--password", "-p"),
         arg("--tenant", "-t"), arg("--allow-no-subscriptions", action="store_true"))
def login(ctx: Context, args: Any) -> list[dict]:
    """Log in to Azure (the sandbox account: no browser, no network); --service-principal signs in as one."""
    from sandbox.security import principals

    if args.service_principal:
        if not (args.username and args.password and args.tenant):
            raise CLIError("usage error: --service-principal --username NAME --password SECRET --tenant TENANT", 2)
        principal = _engine(principals.authenticate, ctx.ws, args.tenant, args.username, args.password)
        principals.cli_login(ctx.ws, principal.object_id)
    else:
        principals.cli_login(ctx.ws, None)  # the person at the keyboard: the learner
    ctx.set_state(logged_in=True)
    return [_subscription(ctx)]


@command("logout", arg("--username"))
def logout(ctx: Context, args: Any) -> None:
    """Log out: later commands ask for `az login`."""
    from sandbox.security import principals

    principals.cli_login(ctx.ws, None)
    ctx.set_state(logged_in=False)
    return None


# -- account ----------------------------------------------------------------------------------
@command("account show", arg("--name", "-n", "-s", dest="name"))
def account_show(ctx: Context, args: Any) -> dict:
    """Get the details of the subscription in use."""
    ctx.require_login()
    sub = _subscription(ctx)
    args.name = args.name or args._subscription
    if args.name and args.name not in (sub["id"], sub["name"]):
        raise CLIError(f"Subscription '{args.name}' not found. Check the spelling and casing and try again.")
    return sub


@command("account list", arg("--all", action="store_true"), arg("--refresh", action="store_true"))
def account_list(ctx: Context, args: Any) -> list[dict]:
    """The subscriptions you can use."""
    ctx.require_login()
    return [_subscription(ctx)]


@command("account set", arg("--name", "-n", "-s", dest="name"))
def account_set(ctx: Context, args: Any) -> None:
    """Choose the subscription to use (the sandbox has one)."""
    ctx.require_login()
    sub = _subscription(ctx)
    args.name = args.name or args._subscription
    if not args.name:
        raise CLIError("the following arguments are required: --name/--subscription/-n/-s", 2)
    if args.name not in (sub["id"], sub["name"]):
        raise CLIError(f"The subscription of '{args.name}' doesn't exist in cloud 'AzureCloud'.")
    return None


@command("account get-access-token", arg("--resource"), arg("--scope"))
def account_token(ctx: Context, args: Any) -> dict:
    """A bearer token for the sandbox's own services."""
    ctx.require_login()
    from azure.identity import AzureCliCredential

    scope = args.scope or (args.resource.rstrip("/") + "/.default" if args.resource else
                           "https://management.azure.com/.default")
    token = AzureCliCredential().get_token(scope)
    return {"accessToken": token.token, "expiresOn": token.expires_on, "subscription": ctx.ws.subscription_id,
            "tenant": TENANT, "tokenType": "Bearer"}


# -- configure / config ---------------------------------------------------------------------------
@command("configure", arg("--defaults", "-d", nargs="+", help="Space-separated key=value pairs, e.g. group=rg "
                          "workspace=ws"), arg("--list-defaults", "-l", action="store_true"),
         arg("--scope", choices=("global", "local"), default="global"))
def configure(ctx: Context, args: Any) -> Any:
    """Set default values (group, workspace, location) that later commands use."""
    if args.list_defaults:
        return [{"name": k, "source": str(ctx.folder / "config"), "value": v}
                for k, v in ctx.settings("defaults").items()]
    if not args.defaults:
        raise CLIError("az configure is interactive in the real CLI; in the sandbox give the values: "
                       "az configure --defaults group=<resource group> workspace=<workspace>", 2)
    for pair in args.defaults:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise CLIError(f"usage error: --defaults KEY=VALUE [KEY=VALUE ...]; got {pair!r}", 2)
        ctx.set_setting("defaults", key.strip(), value.strip())
    return None


@command("config set", arg("pairs", nargs="+", help="section.key=value"),
         arg("--local", action="store_true"))
def config_set(ctx: Context, args: Any) -> None:
    """Set a configuration value, e.g. `az config set defaults.workspace=my-ws`."""
    for pair in args.pairs:
        key, sep, value = pair.partition("=")
        section, dot, name = key.partition(".")
        if not sep or not dot:
            raise CLIError(f"usage error: az config set section.key=value; got {pair!r}", 2)
        ctx.set_setting(section, name, value)
    return None


@command("config get", arg("key", nargs="?"), arg("--local", action="store_true"))
def config_get(ctx: Context, args: Any) -> Any:
    """Show configuration values."""
    section, _, name = (args.key or "").partition(".")
    if not args.key:
        return {s: [{"name": k, "value": v} for k, v in ctx.settings(s).items()] for s in ("core", "defaults")}
    if not name:
        return [{"name": k, "value": v} for k, v in ctx.settings(section).items()]
    value = ctx.setting(section, name)
    if value is None:
        raise CLIError(f"Configuration '{args.key}' is not set.")
    return {"name": name, "source": str(ctx.folder / "config"), "value": value}


@command("config unset", arg("keys", nargs="+"), arg("--local", action="store_true"))
def config_unset(ctx: Context, args: Any) -> None:
    """Remove configuration values."""
    for key in args.keys:
        section, _, name = key.partition(".")
        ctx.set_setting(section, name, None)
    return None


# -- resource groups --------------------------------------------------------------------------------
def _group(g: _account.ResourceGroup) -> dict:
    return {"id": g.id, "location": g.location, "managedBy": None, "name": g.name,
            "properties": {"provisioningState": "Succeeded"}, "tags": g.tags or None,
            "type": "Microsoft.Resources/resourceGroups"}


def _tags(pairs: list[str] | None) -> dict | None:
    if pairs is None:
        return None
    return dict((p.partition("=")[0], p.partition("=")[2]) for p in pairs)


@command("group create", arg("--name", "-n", "--resource-group", "-g", dest="name", required=True),
         arg("--location", "-l", required=True), arg("--tags", nargs="*"), arg("--managed-by"))
def group_create(ctx: Context, args: Any) -> dict:
    """Create a new resource group."""
    ctx.require_login()
    return _group(_engine(_account.create_group, ctx.ws, args.name, args.location, _tags(args.tags)))


@command("group show", arg("--name", "-n", "--resource-group", "-g", dest="name", required=True))
def group_show(ctx: Context, args: Any) -> dict:
    """Get a resource group."""
    ctx.require_login()
    return _group(_engine(_account.get_group, ctx.ws, args.name))


@command("group list", arg("--tag"))
def group_list(ctx: Context, args: Any) -> list[dict]:
    """List resource groups."""
    ctx.require_login()
    return [_group(g) for g in _account.list_groups(ctx.ws)]


@command("group exists", arg("--name", "-n", "--resource-group", "-g", dest="name", required=True))
def group_exists(ctx: Context, args: Any) -> bool:
    """Check if a resource group exists."""
    ctx.require_login()
    try:
        _account.get_group(ctx.ws, args.name)
        return True
    except SandboxError:
        return False


@command("group delete", arg("--name", "-n", "--resource-group", "-g", dest="name", required=True),
         arg("--no-wait", action="store_true"), arg("--force-deletion-types", "-f"),
         confirm="Are you sure you want to perform this operation?")
def group_delete(ctx: Context, args: Any) -> None:
    """Delete a resource group (and the workspace names in it)."""
    ctx.require_login()
    _engine(_account.delete_group, ctx.ws, args.name)
    return None


# -- providers ------------------------------------------------------------------------------------------
@command("provider register", arg("--namespace", "-n", required=True), arg("--wait", action="store_true"),
         arg("--consent-to-permissions", action="store_true"), arg("--management-group-id", "-m"))
def provider_register(ctx: Context, args: Any) -> None:
    """Register a resource provider (instant in the sandbox)."""
    ctx.require_login()
    _engine(_account.register_provider, ctx.ws, args.namespace)
    return None


@command("provider show", arg("--namespace", "-n", required=True))
def provider_show(ctx: Context, args: Any) -> dict:
    """Get a resource provider's registration state."""
    ctx.require_login()
    state = _engine(_account.provider_state, ctx.ws, args.namespace)
    return {"id": f"/subscriptions/{ctx.ws.subscription_id}/providers/{args.namespace}",
            "namespace": args.namespace, "registrationPolicy": "RegistrationRequired", "registrationState": state}


# -- extensions ---------------------------------------------------------------------------------------
def _extension(name: str, version: str) -> dict:
    return {"experimental": False, "extensionType": "whl", "name": name, "path": f"~/.azure/cliextensions/{name}",
            "preview": False, "version": version}


@command("extension add", arg("--name", "-n"), arg("--source", "-s"), arg("--version"),
         arg("--yes", "-y", action="store_true"), arg("--upgrade", action="store_true"),
         arg("--pip-extra-index-urls", nargs="*"), arg("--allow-preview"))
def extension_add(ctx: Context, args: Any) -> None:
    """Add an extension (the sandbox provides `ml`, the Azure ML CLI v2)."""
    name = (args.name or "").lower()
    if name == "azure-cli-ml":
        raise CLIError("The azure-cli-ml extension (Azure ML CLI v1) is retired; the dp100 sandbox provides the CLI "
                       "v2: az extension add -n ml")
    if name not in KNOWN_EXTENSIONS:
        raise CLIError(f"No matching extensions for '{args.name}'. Use --debug for more information. (The dp100 "
                       "sandbox provides the 'ml' extension.)")
    extensions = ctx.extensions()
    if name in extensions and not args.upgrade:
        print(f"WARNING: Extension '{name}' {extensions[name]} is already installed.")
    extensions[name] = KNOWN_EXTENSIONS[name]
    ctx.set_state(extensions=extensions)
    return None


@command("extension remove", arg("--name", "-n", required=True))
def extension_remove(ctx: Context, args: Any) -> None:
    """Remove an extension."""
    extensions = ctx.extensions()
    if args.name not in extensions:
        raise CLIError(f"The extension {args.name} is not installed.")
    del extensions[args.name]
    ctx.set_state(extensions=extensions)
    return None


@command("extension list")
def extension_list(ctx: Context, args: Any) -> list[dict]:
    """List the installed extensions."""
    return [_extension(n, v) for n, v in ctx.extensions().items()]


@command("extension show", arg("--name", "-n", required=True))
def extension_show(ctx: Context, args: Any) -> dict:
    """Show an installed extension."""
    extensions = ctx.extensions()
    if args.name not in extensions:
        raise CLIError(f"The extension {args.name} is not installed.", 3)
    return _extension(args.name, extensions[args.name])


@command("extension update", arg("--name", "-n", required=True))
def extension_update(ctx: Context, args: Any) -> None:
    """Update an extension (the sandbox's is current)."""
    if args.name not in ctx.extensions():
        raise CLIError(f"The extension {args.name} is not installed.")
    print(f"Latest version of '{args.name}' is already installed.")
    return None


@command("version")
def version(ctx: Context, args: Any) -> dict:
    """Show the versions of the CLI and its extensions."""
    return {"azure-cli": CLI_VERSION, "azure-cli-core": CLI_VERSION, "azure-cli-telemetry": "1.1.0",
            "extensions": ctx.extensions()}
