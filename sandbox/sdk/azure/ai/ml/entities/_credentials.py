"""v2 datastore credential configurations."""
from __future__ import annotations

from typing import Any


class _Credentials:
    type = "none"

    def _secret(self) -> dict[str, str]:
        return {k: v for k, v in vars(self).items() if v and k in self._secret_fields}

    _secret_fields: tuple[str, ...] = ()

    def _to_dict(self) -> dict[str, Any]:
        return {"type": self.type}

    def __repr__(self) -> str:
        shown = {k: ("***" if k in self._secret_fields and v else v) for k, v in vars(self).items()}
        return f"{type(self).__name__}({shown})"


class AccountKeyConfiguration(_Credentials):
    type = "account_key"
    _secret_fields = ("account_key",)

    def __init__(self, *, account_key: str | None = None) -> None:
        self.account_key = account_key


class SasTokenConfiguration(_Credentials):
    type = "sas"
    _secret_fields = ("sas_token",)

    def __init__(self, *, sas_token: str | None = None) -> None:
        self.sas_token = sas_token


class ServicePrincipalConfiguration(_Credentials):
    type = "service_principal"
    _secret_fields = ("client_secret",)

    def __init__(self, *, client_secret: str | None = None, tenant_id: str | None = None, client_id: str | None = None,
                 authority_url: str | None = None, resource_url: str | None = None) -> None:
        self.client_secret = client_secret
        self.tenant_id = tenant_id
        self.client_id = client_id


class NoneCredentialConfiguration(_Credentials):
    type = "none"


class IdentityConfiguration(_Credentials):
    type = "identity"

    def __init__(self, *, type: str = "user_identity", user_assigned_identities: Any = None) -> None:
        self.identity_type = type
        self.type = type
        self.user_assigned_identities = list(user_assigned_identities or [])
        self.principal_id: str | None = None
        self.tenant_id: str | None = None


class ManagedIdentityConfiguration(_Credentials):
    type = "managed_identity"

    def __init__(self, *, client_id: str | None = None, resource_id: str | None = None) -> None:
        self.client_id = client_id
        self.resource_id = resource_id


class UserIdentityConfiguration(_Credentials):
    type = "user_identity"


class AmlTokenConfiguration(_Credentials):
    type = "aml_token"

    def __init__(self) -> None:
        pass
