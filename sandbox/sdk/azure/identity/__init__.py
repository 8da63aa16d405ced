"""dp100 sandbox facade of `azure.identity`: every credential signs in locally, with no browser or network."""
from __future__ import annotations

import os
from typing import Any

from azure.core.credentials import AccessToken
from azure.core.exceptions import ClientAuthenticationError


class CredentialUnavailableError(ClientAuthenticationError):
    """A credential in a chain could not be used."""


class _SandboxCredential:
    """Every credential signs in against the sandbox's own tenant (no browser, no network)."""

    _kind = "interactive"

    def _sign_in(self) -> Any:
        from sandbox.security.callers import SignIn

        return SignIn(self._kind)

    def _principal_in(self, ws: Any) -> Any:
        """The sandbox principal this credential signs in as (raises ClientAuthenticationError when it cannot)."""
        from azure.core.exceptions import ClientAuthenticationError
        from sandbox.errors import AuthenticationFailed
        from sandbox.security import callers

        try:
            return callers.resolve(ws, self._sign_in())
        except AuthenticationFailed as exc:
            if "unavailable" in exc.message:
                raise CredentialUnavailableError(exc.message) from None
            raise ClientAuthenticationError(f"{type(self).__name__}.get_token failed: {exc.message}") from None

    def get_token(self, *scopes: str, claims: str | None = None, tenant_id: str | None = None, **kwargs: Any) -> AccessToken:
        if not scopes:
            raise ValueError("get_token needs at least one scope, e.g. 'https://management.azure.com/.default'.")
        from sandbox import identity
        from sandbox.workspace import current_workspace

        ws = current_workspace()
        principal = self._principal_in(ws)
        token, expires = identity.issue(ws, principal.object_id, scopes[0], claims={
            "oid": principal.object_id, "tid": principal.tenant_id, "name": principal.name,
            **({"appid": principal.app_id} if principal.app_id else {})})
        return AccessToken(token, expires)

    def close(self) -> None:
        return None

    def __enter__(self) -> "_SandboxCredential":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class DefaultAzureCredential(_SandboxCredential):
    """Environment variables (AZURE_CLIENT_ID/AZURE_TENANT_ID/AZURE_CLIENT_SECRET), then a managed identity inside a
    job on a compute that has one, then the job's own identity, then `dp100 sandbox login` (the learner by default)."""

    _kind = "default"

    def __init__(self, **kwargs: Any) -> None:
        self.kwargs = kwargs
        self._client_id = kwargs.get("managed_identity_client_id")

    def _sign_in(self) -> Any:
        from sandbox.security.callers import SignIn

        return SignIn("default", client_id=self._client_id)


class InteractiveBrowserCredential(_SandboxCredential):
    def __init__(self, **kwargs: Any) -> None:
        self.kwargs = kwargs


class DeviceCodeCredential(_SandboxCredential):
    def __init__(self, client_id: str | None = None, **kwargs: Any) -> None:
        self.client_id = client_id


class AzureCliCredential(_SandboxCredential):
    _kind = "cli"

    def __init__(self, **kwargs: Any) -> None:
        self.kwargs = kwargs


class EnvironmentCredential(_SandboxCredential):
    def __init__(self, **kwargs: Any) -> None:
        self.tenant_id = os.environ.get("AZURE_TENANT_ID")
        self.client_id = os.environ.get("AZURE_CLIENT_ID")
        self._secret = os.environ.get("AZURE_CLIENT_SECRET")

    def _sign_in(self) -> Any:
        from sandbox.security.callers import SignIn

        if not (self.tenant_id and self.client_id and self._secret):
            raise CredentialUnavailableError(
                "EnvironmentCredential authentication unavailable. Environment variables are not fully configured: "
                "set AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET.")
        return SignIn("client_secret", self.tenant_id, self.client_id, self._secret)


class ManagedIdentityCredential(_SandboxCredential):
    def __init__(self, client_id: str | None = None, **kwargs: Any) -> None:
        self.client_id = client_id

    def _sign_in(self) -> Any:
        from sandbox.security.callers import SignIn

        return SignIn("managed_identity", client_id=self.client_id)


class ClientSecretCredential(_SandboxCredential):
    def __init__(self, tenant_id: str, client_id: str, client_secret: str, **kwargs: Any) -> None:
        missing = [n for n, v in (("tenant_id", tenant_id), ("client_id", client_id), ("client_secret", client_secret)) if not v]
        if missing:
            raise ValueError(f"ClientSecretCredential needs {', '.join(missing)}.")
        self.tenant_id = tenant_id
        self.client_id = client_id
        self._secret = client_secret

    def _sign_in(self) -> Any:
        from sandbox.security.callers import SignIn

        return SignIn("client_secret", self.tenant_id, self.client_id, self._secret)

    def __repr__(self) -> str:
        return f"ClientSecretCredential(tenant_id={self.tenant_id!r}, client_id={self.client_id!r})"


class ChainedTokenCredential(_SandboxCredential):
    def __init__(self, *credentials: Any) -> None:
        if not credentials:
            raise ValueError("ChainedTokenCredential needs at least one credential.")
        self.credentials = credentials

    def _sign_in(self) -> Any:
        last: Exception | None = None
        for credential in self.credentials:
            try:
                sign_in = credential._sign_in()
                from sandbox.workspace import current_workspace

                credential._principal_in(current_workspace())
                return sign_in
            except CredentialUnavailableError as exc:
                last = exc
        raise CredentialUnavailableError(f"ChainedTokenCredential failed to retrieve a token: {last}")


__all__ = [
    "AzureCliCredential", "ChainedTokenCredential", "ClientSecretCredential", "CredentialUnavailableError",
    "DefaultAzureCredential", "DeviceCodeCredential", "EnvironmentCredential", "InteractiveBrowserCredential",
    "ManagedIdentityCredential",
]
