"""Workspace security: identities, role-based access, the Key Vault and identity-based data access.

    principals.py  users, service principals (secrets on the sandbox clock), managed identities, CLI sign-in
    roles.py       built-in and custom role definitions, Azure's wildcard matching
    access.py      role assignments and the one authorization check (`requires`, `check`)
    keyvault.py    the workspace's vault: secrets encrypted at rest, RBAC data actions
    callers.py     which principal an SDK credential or authentication object signs in as
"""
