"""v1 authentication classes. In the sandbox they all sign in at once, with no browser and no network."""
from __future__ import annotations

from typing import Any


class AbstractAuthentication:
    """Base of the v1 authentication classes: each signs in against the sandbox's own tenant."""

    _kind = "interactive"

    def _sign_in(self) -> Any:
        from sandbox.security.callers import SignIn

        return SignIn(self._kind)

    def _principal_in(self, ws: Any) -> Any:
        from azureml.exceptions import AuthenticationException
        from sandbox.errors import AuthenticationFailed
        from sandbox.security import callers

        try:
            return callers.resolve(ws, self._sign_in())
        except AuthenticationFailed as exc:
            raise AuthenticationException(exc.message) from None

    def _token(self, scope: str) -> tuple[str, int]:
        from sandbox import identity
        from sandbox.workspace import current_workspace

        ws = current_workspace()
        principal = self._principal_in(ws)
        return identity.issue(ws, principal.object_id, scope, claims={
            "oid": principal.object_id, "tid": principal.tenant_id, "name": principal.name,
            **({"appid": principal.app_id} if principal.app_id else {})})

    def get_authentication_header(self) -> dict[str, str]:
        return {"Authorization": "Bearer " + self._token("https://management.azure.com/")[0]}

    def get_token(self, *scopes: str) -> Any:
        from azure.core.credentials import AccessToken  # type: ignore[import-not-found]

        token, expires = self._token(scopes[0] if scopes else "https://management.azure.com/")
        return AccessToken(token, expires)


class InteractiveLoginAuthentication(AbstractAuthentication):
    def __init__(self, force: bool = False, tenant_id: str | None = None, cloud: str | None = None) -> None:
        self.tenant_id = tenant_id


class AzureCliAuthentication(AbstractAuthentication):
    _kind = "cli"


class MsiAuthentication(AbstractAuthentication):
    _kind = "managed_identity"

    def __init__(self, cloud: str | None = None, identity_config: dict | None = None) -> None:
        self.identity_config = identity_config

    def _sign_in(self) -> Any:
        from sandbox.security.callers import SignIn

        client_id = (self.identity_config or {}).get("client_id")
        return SignIn("managed_identity", client_id=client_id)


class ServicePrincipalAuthentication(AbstractAuthentication):
    def __init__(self, tenant_id: str, service_principal_id: str, service_principal_password: str,
                 cloud: str = "AzureCloud", _enable_caching: bool = True) -> None:
        if not (tenant_id and service_principal_id and service_principal_password):
            from azureml.exceptions import AuthenticationException

            raise AuthenticationException(
                "ServicePrincipalAuthentication needs tenant_id, service_principal_id and service_principal_password."
            )
        self.tenant_id = tenant_id
        self.service_principal_id = service_principal_id
        self._secret = service_principal_password

    def _sign_in(self) -> Any:
        from sandbox.security.callers import SignIn

        return SignIn("client_secret", self.tenant_id, self.service_principal_id, self._secret)

    def __repr__(self) -> str:
        return f"ServicePrincipalAuthentication(tenant_id={self.tenant_id!r}, service_principal_id=" \
               f"{self.service_principal_id!r})"


def caller_of(auth: Any, ws: Any) -> Any:
    """The principal a v1 Workspace acts as: its auth= object, else the interactive sign-in (the learner)."""
    principal_in = getattr(auth, "_principal_in", None)
    if callable(principal_in):
        return principal_in(ws)
    return InteractiveLoginAuthentication()._principal_in(ws)
