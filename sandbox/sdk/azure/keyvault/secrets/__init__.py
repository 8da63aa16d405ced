"""dp100 sandbox facade of `azure.keyvault.secrets`: the workspace's Key Vault through the data plane.

`SecretClient(vault_url, credential)` signs in with the credential and checks Key Vault data actions (Key Vault
Secrets User to read, Secrets Officer or Administrator to write), as Azure does for a vault in RBAC mode.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any, Iterator

from azure.core.exceptions import HttpResponseError, ResourceNotFoundError

__all__ = ["DeletedSecret", "KeyVaultSecret", "SecretClient", "SecretProperties"]


class SecretProperties:
    def __init__(self, name: str, version: str, vault_url: str, content_type: str | None = None,
                 enabled: bool = True, created_on: datetime | None = None, updated_on: datetime | None = None) -> None:
        self.name = name
        self.version = version
        self.vault_url = vault_url
        self.content_type = content_type
        self.enabled = enabled
        self.created_on = created_on
        self.updated_on = updated_on
        self.id = f"{vault_url.rstrip('/')}/secrets/{name}/{version}"

    def __repr__(self) -> str:
        return f"<SecretProperties [{self.id}]>"


class KeyVaultSecret:
    def __init__(self, properties: SecretProperties, value: str | None) -> None:
        self._properties = properties
        self._value = value

    @property
    def name(self) -> str:
        return self._properties.name

    @property
    def value(self) -> str | None:
        return self._value

    @property
    def properties(self) -> SecretProperties:
        return self._properties

    @property
    def id(self) -> str:
        return self._properties.id

    def __repr__(self) -> str:  # the value is never shown
        return f"<KeyVaultSecret [{self.id}]>"


class DeletedSecret:
    def __init__(self, properties: SecretProperties) -> None:
        self.properties = properties
        self.name = properties.name
        self.id = properties.id


class _Poller:
    def __init__(self, value: Any) -> None:
        self._value = value

    def result(self, timeout: float | None = None) -> Any:
        return self._value

    def wait(self, timeout: float | None = None) -> None:
        return None

    def done(self) -> bool:
        return True


class SecretClient:
    def __init__(self, vault_url: str, credential: Any, **kwargs: Any) -> None:
        from sandbox.security import keyvault
        from sandbox.workspace import current_workspace

        ws = current_workspace()
        expected = keyvault.vault_url(ws)
        if str(vault_url).rstrip("/").lower() != expected.rstrip("/").lower():
            raise ValueError(f"The sandbox has one key vault, at {expected} (ws.get_default_keyvault() in v1; the "
                             f"workspace's key_vault in v2); got {vault_url!r}.")
        self.vault_url = expected
        self._credential = credential
        self._bound: Any = None

    @property
    def _ws(self) -> Any:
        if self._bound is None:
            from sandbox.security import callers
            from sandbox.workspace import current_workspace

            ws = current_workspace()
            principal_in = getattr(self._credential, "_principal_in", None)
            principal = principal_in(ws) if callable(principal_in) else callers.resolve(ws, callers.SignIn("interactive"))
            self._bound = ws.as_caller(principal)
        return self._bound

    def _call(self, func: Any, *args: Any) -> Any:
        from sandbox.errors import SandboxError

        try:
            return func(self._ws, *args)
        except SandboxError as exc:
            if exc.code == "ResourceNotFound":
                raise ResourceNotFoundError(f"(SecretNotFound) {exc.message}", status_code=404) from None
            if exc.code == "AuthorizationFailed":
                raise HttpResponseError(f"(Forbidden) Caller is not authorized to perform action on resource. "
                                        f"{exc.message}", status_code=403) from None
            raise HttpResponseError(f"(BadParameter) {exc.message}", status_code=400) from None

    def _props(self, p: Any) -> SecretProperties:
        return SecretProperties(p.name, p.version, self.vault_url, p.content_type, p.enabled,
                                _dt(p.created), _dt(p.updated))

    def set_secret(self, name: str, value: str, *, content_type: str | None = None, **kwargs: Any) -> KeyVaultSecret:
        from sandbox.security import keyvault

        props = self._call(lambda ws: keyvault.set_secret(ws, name, value, content_type))
        return KeyVaultSecret(self._props(props), value)

    def get_secret(self, name: str, version: str | None = None, **kwargs: Any) -> KeyVaultSecret:
        from sandbox.security import keyvault

        value = self._call(keyvault.get_secret, name)
        props = self._call(lambda ws: keyvault.properties(ws, name, _checked=True))
        return KeyVaultSecret(self._props(props), value)

    def list_properties_of_secrets(self, **kwargs: Any) -> Iterator[SecretProperties]:
        from sandbox.security import keyvault

        return iter([self._props(p) for p in self._call(keyvault.list_secrets)])

    def begin_delete_secret(self, name: str, **kwargs: Any) -> _Poller:
        from sandbox.security import keyvault

        props = self._call(lambda ws: keyvault.properties(ws, name))
        self._call(keyvault.delete_secret, name)
        return _Poller(DeletedSecret(self._props(props)))

    def close(self) -> None:
        return None

    def __enter__(self) -> "SecretClient":
        return self

    def __exit__(self, *exc: Any) -> None:
        return None


def _dt(text: str | None) -> datetime | None:
    if not text:
        return None
    return datetime.fromisoformat(text.replace("Z", "+00:00"))
