"""The command table: `az <words>` -> a handler with its arguments, and where each group's commands live.

A group's module registers its commands with `@command("ml compute create", Arg(...), ...)` when it is imported;
`GROUPS` says which module holds which group, so adding a group (pipelines, schedules, endpoints, role) is one
line there. `NOT_YET` names real groups the sandbox does not emulate yet (they answer with a sentence).
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any, Callable

# group words -> module with its commands (imported when a command of the group runs or help lists it)
GROUPS: dict[str, str] = {
    "login": "azure.cli.account", "logout": "azure.cli.account", "account": "azure.cli.account",
    "configure": "azure.cli.account", "config": "azure.cli.account", "group": "azure.cli.account",
    "provider": "azure.cli.account", "extension": "azure.cli.account", "version": "azure.cli.account",
    "ml workspace": "azure.cli.ml.workspace",
    "ml compute": "azure.cli.ml.compute",
    "ml data": "azure.cli.ml.data",
    "ml datastore": "azure.cli.ml.datastore",
    "ml environment": "azure.cli.ml.environment",
    "ml model": "azure.cli.ml.model",
    "ml job": "azure.cli.ml.job",
    "role": "azure.cli.role", "ad sp": "azure.cli.role",
}
# real groups not emulated yet -> what they are
NOT_YET: dict[str, str] = {
    "ml component": "components", "ml schedule": "schedules", "ml online-endpoint": "online endpoints",
    "ml online-deployment": "online deployments", "ml batch-endpoint": "batch endpoints",
    "ml batch-deployment": "batch deployments", "ml registry": "registries", "ml feature-store": "feature stores",
    "ml connection": "connections", "ml compute-connection": "compute connections",
    "storage": "storage accounts", "keyvault": "key vaults", "acr": "container registries",
}
WORKSPACE_ARGS = "workspace"  # marker: the command takes --resource-group/-g and --workspace-name/-w


@dataclass(frozen=True)
class Arg:
    flags: tuple[str, ...]
    dest: str | None = None
    help: str = ""
    required: bool = False
    default: Any = None
    action: str | None = None
    choices: tuple[str, ...] | None = None
    type: Callable[[str], Any] | None = None
    nargs: str | None = None


@dataclass
class Command:
    name: str
    handler: Callable[..., Any]
    args: tuple[Arg, ...]
    help: str
    scope: str | None = None      # WORKSPACE_ARGS for workspace-scoped ml commands
    confirm: str | None = None    # a question asked unless --yes (delete commands)
    table: tuple[str, ...] = ()   # the columns `-o table` shows (key: Header), like az's table transformers


COMMANDS: dict[str, Command] = {}


def arg(*flags: str, **options: Any) -> Arg:
    return Arg(tuple(flags), **options)


def command(name: str, *args: Arg, help: str = "", scope: str | None = None, confirm: str | None = None,
            table: tuple[str, ...] = ()):
    def register(func: Callable[..., Any]) -> Callable[..., Any]:
        COMMANDS[name] = Command(name, func, tuple(args), help or (func.__doc__ or "").strip().splitlines()[0],
                                 scope, confirm, table)
        return func

    return register


def load_group(words: list[str]) -> str | None:
    """Import the module of the longest group `words` starts with; return that group."""
    for size in range(min(len(words), 3), 0, -1):
        group = " ".join(words[:size])
        if group in GROUPS:
            importlib.import_module(GROUPS[group])
            return group
    return None


def load_all() -> None:
    for module in dict.fromkeys(GROUPS.values()):
        importlib.import_module(module)


def subgroups(prefix: str) -> dict[str, str]:
    """Command groups and commands directly under `prefix` ('' for the top): word -> one-line help."""
    load_all()
    found: dict[str, str] = {}
    depth = len(prefix.split()) if prefix else 0
    for name, cmd in COMMANDS.items():
        words = name.split()
        if prefix and not name.startswith(prefix + " "):
            continue
        if len(words) == depth + 1:
            found[words[depth]] = cmd.help
        elif len(words) > depth + 1:
            found.setdefault(words[depth], f"Commands for {' '.join(words[:depth + 1])}.")
    for group, what in NOT_YET.items():
        words = group.split()
        if (not prefix or group.startswith(prefix + " ")) and len(words) == depth + 1:
            found.setdefault(words[depth], f"Manage {what} (not emulated by the dp100 sandbox yet).")
    return dict(sorted(found.items()))
