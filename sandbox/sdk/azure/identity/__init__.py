"""dp100 sandbox facade of `azure.identity`: every credential signs in locally, with no browser or network."""
from __future__ import annotations

import os
from typing import Any

from azure.core.credentials import AccessToken


class CredentialUnavailableError(Exception):
    """A credential in a chain could not be used."""


class _SandboxCredential:
    _principal = "learner@dp100.sandbox"

    def get_token(self, *scopes: str, claims: str | None = None, tenant_id: str | None = None, **kwargs: Any) -> AccessToken:
        if not scopes:
            raise ValueError("get_token needs at least one scope, e.g. 'https://management.azure.com/.default'.")
        from sandbox import identity
        from sandbox.workspace import current_workspace

        token, expires = identity.issue(current_workspace(), self._principal, scopes[0])
        return AccessToken(token, expires)

    def close(self) -> None:
        return None

    def __enter__(self) -> "_SandboxCredential":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class DefaultAzureCredential(_SandboxCredential):
    def __init__(self, **kwargs: Any) -> None:
        self.kwargs = kwargs
        if os.environ.get("AZURE_CLIENT_ID") and os.environ.get("AZURE_CLIENT_SECRET"):
            self._principal = f"sp:{os.environ['AZURE_CLIENT_ID']}"


class InteractiveBrowserCredential(_SandboxCredential):
    def __init__(self, **kwargs: Any) -> None:
        self.kwargs = kwargs


class DeviceCodeCredential(_SandboxCredential):
    def __init__(self, client_id: str | None = None, **kwargs: Any) -> None:
        self.client_id = client_id


class AzureCliCredential(_SandboxCredential):
    def __init__(self, **kwargs: Any) -> None:
        self.kwargs = kwargs


class EnvironmentCredential(_SandboxCredential):
    def __init__(self, **kwargs: Any) -> None:
        client = os.environ.get("AZURE_CLIENT_ID")
        self._principal = f"sp:{client}" if client else self._principal


class ManagedIdentityCredential(_SandboxCredential):
    _principal = "managed-identity@dp100.sandbox"

    def __init__(self, client_id: str | None = None, **kwargs: Any) -> None:
        self.client_id = client_id


class ClientSecretCredential(_SandboxCredential):
    def __init__(self, tenant_id: str, client_id: str, client_secret: str, **kwargs: Any) -> None:
        missing = [n for n, v in (("tenant_id", tenant_id), ("client_id", client_id), ("client_secret", client_secret)) if not v]
        if missing:
            raise ValueError(f"ClientSecretCredential needs {', '.join(missing)}.")
        self.tenant_id = tenant_id
        self.client_id = client_id
        self._principal = f"sp:{client_id}"


class ChainedTokenCredential(_SandboxCredential):
    def __init__(self, *credentials: Any) -> None:
        if not credentials:
            raise ValueError("ChainedTokenCredential needs at least one credential.")
        self.credentials = credentials

    def get_token(self, *scopes: str, **kwargs: Any) -> AccessToken:
        return self.credentials[0].get_token(*scopes, **kwargs)


__all__ = [
    "AzureCliCredential", "ChainedTokenCredential", "ClientSecretCredential", "CredentialUnavailableError",
    "DefaultAzureCredential", "DeviceCodeCredential", "EnvironmentCredential", "InteractiveBrowserCredential",
    "ManagedIdentityCredential",
]
