"""v1 `Keyvault`: the workspace's default Key Vault, reached through the workspace (`ws.get_default_keyvault()`)."""
from __future__ import annotations

from typing import Any

from azureml._sandbox import translate
from azureml.exceptions import UserErrorException
from sandbox.errors import NotFound
from sandbox.security import keyvault as _engine


class Keyvault:
    def __init__(self, workspace: Any) -> None:
        self.workspace = workspace

    @property
    def _ws(self) -> Any:
        return self.workspace._engine

    @translate()
    def set_secret(self, name: str, value: str, content_type: Any = None) -> None:
        _engine.set_secret(self._ws, name, value, via_workspace=True)

    @translate()
    def set_secrets(self, secrets_batch: dict[str, str]) -> None:
        if not isinstance(secrets_batch, dict):
            raise UserErrorException("set_secrets takes a dict of {name: value}.")
        for name, value in secrets_batch.items():
            _engine.set_secret(self._ws, name, value, via_workspace=True)

    @translate()
    def get_secret(self, name: str) -> str:
        return _engine.get_secret(self._ws, name, via_workspace=True)

    @translate()
    def get_secrets(self, secrets: list[str]) -> dict[str, str | None]:
        """Values by name; None for a name the vault does not hold (as in Azure)."""
        found: dict[str, str | None] = {}
        for name in secrets:
            try:
                found[name] = _engine.get_secret(self._ws, name, via_workspace=True)
            except NotFound:
                found[name] = None
        return found

    @translate()
    def list_secrets(self) -> list[dict[str, str]]:
        """Names only, never values: [{'name': ...}, ...]."""
        return [{"name": p.name} for p in _engine.list_secrets(self._ws, via_workspace=True)]

    @translate()
    def delete_secret(self, name: str) -> None:
        _engine.delete_secret(self._ws, name, via_workspace=True)

    @translate()
    def delete_secrets(self, secrets: list[str]) -> None:
        for name in secrets:
            _engine.delete_secret(self._ws, name, via_workspace=True)

    def __repr__(self) -> str:
        return f"Keyvault(workspace={self.workspace.name!r}, vault={_engine.vault_name(self._ws)!r})"
