"""Which principal a credential signs in as — the rules behind every SDK credential and v1 authentication class.

A facade describes its credential as a `SignIn` (plain data) and asks `resolve(ws, sign_in)`:

- `client_secret` (ClientSecretCredential, ServicePrincipalAuthentication, EnvironmentCredential): the service
  principal, if tenant, client id and secret are right and unexpired (else `AuthenticationFailed`);
- `managed_identity` (ManagedIdentityCredential, MsiAuthentication): inside a job on a compute with a managed
  identity, that identity (a `client_id` picks one of several); elsewhere Azure's "unavailable" error;
- `cli` (AzureCliCredential, AzureCliAuthentication): whoever `dp100 sandbox login --as` signed in (the learner by
  default);
- `interactive` (InteractiveBrowserCredential, DeviceCodeCredential, InteractiveLoginAuthentication): the learner
  (the person at the keyboard), or the job's identity inside a job;
- `default` (DefaultAzureCredential): environment variables, then a job's managed identity, then inside a job the
  identity the job runs as, then the CLI sign-in.

Inside jobs the supervisor sets `DP100_JOB_PRINCIPAL` (whom the job acts as: the submitter for user identity and
AML token) and `DP100_JOB_MANAGED_IDENTITY` (the compute's identity, when the job uses it).
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sandbox.errors import AuthenticationFailed, NotFound
from sandbox.security import principals

if TYPE_CHECKING:
    from sandbox.workspace import Workspace

JOB_PRINCIPAL = "DP100_JOB_PRINCIPAL"
JOB_MANAGED_IDENTITY = "DP100_JOB_MANAGED_IDENTITY"


@dataclass(frozen=True)
class SignIn:
    kind: str                        # client_secret | managed_identity | cli | interactive | default
    tenant_id: str | None = None
    client_id: str | None = None
    secret: str | None = None


def resolve(ws: "Workspace", sign_in: SignIn) -> principals.Principal:
    kind = sign_in.kind
    if kind == "client_secret":
        return principals.authenticate(ws, sign_in.tenant_id or "", sign_in.client_id or "", sign_in.secret or "")
    if kind == "managed_identity":
        return _managed_identity(ws, sign_in.client_id)
    if kind == "cli":
        return principals.cli_principal(ws)
    if kind == "interactive":
        return _job_principal(ws) or principals.learner(ws)
    if kind == "default":
        if os.environ.get("AZURE_CLIENT_ID") and os.environ.get("AZURE_CLIENT_SECRET"):
            return principals.authenticate(ws, os.environ.get("AZURE_TENANT_ID", ""), os.environ["AZURE_CLIENT_ID"],
                                           os.environ["AZURE_CLIENT_SECRET"])
        if os.environ.get(JOB_MANAGED_IDENTITY):
            return _managed_identity(ws, sign_in.client_id)
        return _job_principal(ws) or principals.cli_principal(ws)
    raise ValueError(f"unknown sign-in kind {kind!r}")


def _job_principal(ws: "Workspace") -> principals.Principal | None:
    object_id = os.environ.get(JOB_PRINCIPAL)
    if not object_id:
        return None
    try:
        return principals.get(ws, object_id)
    except NotFound:
        return None


def _managed_identity(ws: "Workspace", client_id: str | None) -> principals.Principal:
    available = [p for p in os.environ.get(JOB_MANAGED_IDENTITY, "").split(",") if p]
    if not available:
        raise AuthenticationFailed(
            "ManagedIdentityCredential authentication unavailable. No identity has been assigned to this resource. "
            "(In the sandbox, a managed identity exists inside a job that runs on a compute cluster or instance "
            "with an identity, e.g. AmlCompute(..., identity=IdentityConfiguration(type='system_assigned')) and "
            "command(..., identity=ManagedIdentityConfiguration()).)")
    chosen = [principals.get(ws, object_id) for object_id in available]
    if client_id:
        for identity in chosen:
            if client_id in (identity.app_id, identity.object_id, identity.name):
                return identity
        raise AuthenticationFailed(f"ManagedIdentityCredential authentication unavailable: no identity with client "
                                   f"id {client_id!r} is assigned to this compute.")
    return chosen[0]
