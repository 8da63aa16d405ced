"""Role matching and assignments, as Azure evaluates them."""
import pytest

from sandbox import compute
from sandbox.errors import AuthenticationFailed, AuthorizationFailed, InvalidInput
from sandbox.security import access, principals, roles

ML = "Microsoft.MachineLearningServices/workspaces"


@pytest.mark.parametrize("pattern, action, expected", [
    (f"{ML}/*/read", f"{ML}/computes/read", True),
    (f"{ML}/*/read", f"{ML}/computes/write", False),
    (f"{ML}/computes/*/write", f"{ML}/computes/write", True),          # the /*/ segment may be empty
    (f"{ML}/computes/*/write", f"{ML}/computes/nodes/write", True),
    ("*", "Microsoft.KeyVault/vaults/secrets/getSecret/action", True),
    ("*/read", f"{ML}/jobs/read", True),
    ("microsoft.machinelearningservices/WORKSPACES/jobs/*", f"{ML}/jobs/write", True),  # case-insensitive
    (f"{ML}/jobs/*", f"{ML}/computes/write", False),
])
def test_wildcards_match_as_in_azure(pattern, action, expected):
    assert roles.matches(pattern, action) is expected


def test_the_data_scientist_role_keeps_compute_creation_and_workspace_changes_out():
    scientist = roles.BUILT_IN[3]
    assert scientist.name == "AzureML Data Scientist"
    assert scientist.allows(f"{ML}/jobs/write") and scientist.allows(f"{ML}/computes/start/action")
    assert not scientist.allows(f"{ML}/computes/write") and not scientist.allows(f"{ML}/computes/delete")
    assert not scientist.allows(f"{ML}/write") and not scientist.allows(f"{ML}/listKeys/action")


def test_owner_has_no_data_actions_but_the_learner_can_use_the_vault(ws):
    owner = roles.get(ws, "Owner")
    assert owner.allows("Microsoft.Authorization/roleAssignments/write")
    assert not owner.allows("Microsoft.KeyVault/vaults/secrets/getSecret/action", data=True)
    learner = principals.learner(ws)
    assert access.permitted(ws, learner, "Microsoft.KeyVault/vaults/secrets/getSecret/action", data=True)


def test_a_compute_operator_creates_compute_and_is_refused_jobs(ws):
    operator = principals.add_user(ws, "ops")
    access.assign(ws, "ops", "AzureML Compute Operator")
    as_operator = ws.as_caller(operator)
    compute.create_cluster(as_operator, "ops-cluster", "STANDARD_DS11_V2", 0, 1)
    from sandbox import jobs

    with pytest.raises(AuthorizationFailed, match="jobs/read"):
        jobs.list_jobs(as_operator)


def test_roles_add_up_and_removal_takes_effect_at_once(ws):
    user = principals.add_user(ws, "ana")
    as_ana = ws.as_caller(user)
    with pytest.raises(AuthorizationFailed, match="'ana'"):
        compute.list_computes(as_ana)
    access.assign(ws, "ana", "Reader")
    assert compute.list_computes(as_ana) == []
    with pytest.raises(AuthorizationFailed):
        compute.create_cluster(as_ana, "ana-cluster", "STANDARD_DS11_V2", 0, 1)
    access.assign(ws, "ana", "AzureML Compute Operator", scope="resource-group")
    compute.create_cluster(as_ana, "ana-cluster", "STANDARD_DS11_V2", 0, 1)
    assert access.remove(ws, "ana", "AzureML Compute Operator") == 1
    with pytest.raises(AuthorizationFailed):
        compute.delete(as_ana, "ana-cluster")


def test_custom_roles_are_validated(ws):
    with pytest.raises(InvalidInput, match="Name"):
        roles.create_custom(ws, {"Actions": ["*/read"]})
    with pytest.raises(InvalidInput, match="Unknown field"):
        roles.create_custom(ws, {"Name": "x", "Actions": ["*/read"], "Permissions": []})
    with pytest.raises(InvalidInput, match="not valid JSON"):
        roles.create_custom(ws, "{not json")
    role = roles.create_custom(ws, {"Name": "Viewer", "Actions": [f"{ML}/*/read"]})
    assert role.is_custom and roles.get(ws, "viewer").id == role.id


def test_service_principal_secrets_verify_expire_and_rotate(ws):
    from sandbox import clock

    clock.set_virtual(ws, True)
    sp, secret = principals.create_service_principal(ws, "bot", days=2)
    assert principals.authenticate(ws, principals.TENANT_ID, sp.app_id, secret).object_id == sp.object_id
    with pytest.raises(AuthenticationFailed, match="AADSTS7000215"):
        principals.authenticate(ws, principals.TENANT_ID, sp.app_id, "wrong")
    with pytest.raises(AuthenticationFailed, match="AADSTS90002"):
        principals.authenticate(ws, "other-tenant", sp.app_id, secret)
    clock.advance(ws, 3 * 86400)
    with pytest.raises(AuthenticationFailed, match="expired"):
        principals.authenticate(ws, principals.TENANT_ID, sp.app_id, secret)
    fresh = principals.rotate_secret(ws, sp)
    assert principals.authenticate(ws, principals.TENANT_ID, sp.app_id, fresh).name == "bot"
    assert not (ws.root / "workspace.db").read_bytes().count(fresh.encode())
