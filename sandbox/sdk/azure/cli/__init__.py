"""The dp100 sandbox's Azure CLI (`az`), with the Azure ML CLI v2 extension (`az ml`).

It is on PATH only in processes the sandbox activates (`dp100 shell`, `dp100 run`, notebooks that loaded the
sandbox) and as `dp100 az`; a real Azure CLI elsewhere is never shadowed. Like the real `ml` extension, which is
built on azure-ai-ml, the `az ml` commands are thin: they load YAML with the v2 `load_*` functions and call the
v2 `MLClient` facade, so the CLI, the SDK and the engine share one path.

Layout: `main.py` (arguments, dispatch, errors, exit codes), `commands.py` (the command table and the group ->
module registry), `output.py` (json/table/tsv/yaml and --query), `context.py` (defaults, login, the workspace a
command targets), `account.py` (login, account, configure, group, provider, extension, version) and `ml/<group>.py`.
"""
