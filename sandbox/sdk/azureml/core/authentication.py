"""v1 authentication classes. In the sandbox they all sign in at once, with no browser and no network."""
from __future__ import annotations

from typing import Any


class AbstractAuthentication:
    _principal = "learner@dp100.sandbox"

    def get_authentication_header(self) -> dict[str, str]:
        from sandbox import identity
        from sandbox.workspace import current_workspace

        return {"Authorization": "Bearer " + identity.issue_token(current_workspace(), self._principal,
                                                                   "https://management.azure.com/")}

    def get_token(self, *scopes: str) -> Any:
        from azure.core.credentials import AccessToken  # type: ignore[import-not-found]

        from sandbox import identity
        from sandbox.workspace import current_workspace

        token, expires = identity.issue(current_workspace(), self._principal,
                                        scopes[0] if scopes else "https://management.azure.com/")
        return AccessToken(token, expires)


class InteractiveLoginAuthentication(AbstractAuthentication):
    def __init__(self, force: bool = False, tenant_id: str | None = None, cloud: str | None = None) -> None:
        self.tenant_id = tenant_id


class AzureCliAuthentication(AbstractAuthentication):
    pass


class MsiAuthentication(AbstractAuthentication):
    _principal = "managed-identity@dp100.sandbox"

    def __init__(self, cloud: str | None = None, identity_config: dict | None = None) -> None:
        self.identity_config = identity_config


class ServicePrincipalAuthentication(AbstractAuthentication):
    def __init__(self, tenant_id: str, service_principal_id: str, service_principal_password: str,
                 cloud: str = "AzureCloud", _enable_caching: bool = True) -> None:
        if not (tenant_id and service_principal_id and service_principal_password):
            from azureml.exceptions import AuthenticationException

            raise AuthenticationException(
                "ServicePrincipalAuthentication needs tenant_id, service_principal_id and service_principal_password."
            )
        self.tenant_id = tenant_id
        self._principal = f"sp:{service_principal_id}"
