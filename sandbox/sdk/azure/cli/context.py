"""What a command runs against: the sandbox workspace, the CLI's own settings (defaults, login) and the
workspace a `-g/-w` pair names.

The CLI's settings live beside the sandbox workspace (`<workspace>/azure-cli/config`, INI like `~/.azure/config`),
so a fresh workspace (a lab attempt, a grader run) starts with none and the learner's real `~/.azure` is never
touched. `AZURE_DEFAULTS_GROUP` / `AZURE_DEFAULTS_WORKSPACE` / `AZURE_CORE_OUTPUT` override them, as in az.
"""
from __future__ import annotations

import configparser
import json
import os
from pathlib import Path
from typing import Any

from sandbox.workspace import Workspace, current_workspace


class CLIError(Exception):
    """An error the CLI prints as `ERROR: <message>` and exits with `code` (1 failure, 2 usage, 3 not found)."""

    def __init__(self, message: str, code: int = 1) -> None:
        super().__init__(message)
        self.code = code


class Context:
    def __init__(self) -> None:
        self._ws: Workspace | None = None

    @property
    def ws(self) -> Workspace:
        if self._ws is None:
            self._ws = current_workspace()
        return self._ws

    # -- settings --------------------------------------------------------------------------------
    @property
    def folder(self) -> Path:
        return self.ws.root / "azure-cli"

    def _config(self) -> configparser.ConfigParser:
        parser = configparser.ConfigParser()
        parser.read(self.folder / "config", encoding="utf-8")
        return parser

    def setting(self, section: str, key: str) -> str | None:
        env = os.environ.get(f"AZURE_{section.upper()}_{key.upper()}")
        if env:
            return env
        parser = self._config()
        value = parser.get(section, key, fallback=None)
        return value or None

    def set_setting(self, section: str, key: str, value: str | None) -> None:
        parser = self._config()
        if not parser.has_section(section):
            parser.add_section(section)
        if value:
            parser.set(section, key, value)
        else:
            parser.remove_option(section, key)
        self.folder.mkdir(parents=True, exist_ok=True)
        with open(self.folder / "config", "w", encoding="utf-8") as handle:
            parser.write(handle)

    def settings(self, section: str) -> dict[str, str]:
        parser = self._config()
        return dict(parser.items(section)) if parser.has_section(section) else {}

    def _state(self) -> dict[str, Any]:
        path = self.folder / "state.json"
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}

    def set_state(self, **values: Any) -> None:
        state = {**self._state(), **values}
        self.folder.mkdir(parents=True, exist_ok=True)
        (self.folder / "state.json").write_text(json.dumps(state, indent=2), encoding="utf-8")

    def state(self, key: str, default: Any = None) -> Any:
        return self._state().get(key, default)

    # -- login and extensions ----------------------------------------------------------------------
    @property
    def logged_in(self) -> bool:
        return bool(self.state("logged_in", True))  # like Cloud Shell: signed in until `az logout`

    def require_login(self) -> None:
        if not self.logged_in:
            raise CLIError("Please run 'az login' to setup account.")

    def extensions(self) -> dict[str, str]:
        return dict(self.state("extensions", {"ml": EXTENSION_VERSION}))

    # -- the workspace a command targets ------------------------------------------------------------
    def ml_client(self, resource_group: str | None, workspace_name: str | None) -> Any:
        from azure.ai.ml import MLClient
        from azure.identity import AzureCliCredential
        from sandbox import account

        self.require_login()
        if "ml" not in self.extensions():
            raise CLIError("'ml' is misspelled or not recognized by the system. The ml extension is not installed: "
                           "az extension add -n ml", 2)
        missing = [flag for flag, value in (("--resource-group/-g", resource_group),
                                            ("--workspace-name/-w", workspace_name)) if not value]
        if missing:
            raise CLIError(f"the following arguments are required: {', '.join(missing)}", 2)
        ws = self.ws
        if not account.knows(ws, workspace_name, resource_group):
            try:
                account.get_group(ws, resource_group)
            except Exception:  # noqa: BLE001 - only choosing the message
                raise CLIError(f"(ResourceGroupNotFound) Resource group '{resource_group}' could not be found.\n"
                               f"Code: ResourceGroupNotFound\nMessage: Resource group '{resource_group}' could not "
                               "be found.", 3) from None
            raise CLIError(f"(ResourceNotFound) The Resource 'Microsoft.MachineLearningServices/workspaces/"
                           f"{workspace_name}' under resource group '{resource_group}' was not found. Create it with "
                           f"az ml workspace create -n {workspace_name} -g {resource_group}.", 3)
        return MLClient(AzureCliCredential(), ws.subscription_id, resource_group, workspace_name)


EXTENSION_VERSION = "2.32.0"
CLI_VERSION = "2.67.0"
