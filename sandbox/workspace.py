"""A sandbox workspace: a folder with a metadata store and directory-backed storage accounts.

Layout::

    <workspace>/
        workspace.db          SQLite metadata (datastores, datasets, data assets, ...)
        storage/<account>/<container>/...   what blob containers, file shares and ADLS file systems hold
"""
from __future__ import annotations

import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sandbox.clock import iso_now
from sandbox.store import Store

DEFAULT_NAME = "dp100-workspace"
DEFAULT_RESOURCE_GROUP = "dp100-sandbox-rg"
DEFAULT_LOCATION = "eastus"
# Stable fake coordinates: the same on every machine, so configs and lab answers are portable.
DEFAULT_SUBSCRIPTION = str(uuid.uuid5(uuid.NAMESPACE_URL, "https://dp100.sandbox/subscription"))
DB_FILE = "workspace.db"


class WorkspaceNotFound(RuntimeError):
    """No sandbox workspace exists in the folder."""


@dataclass(frozen=True)
class Coordinates:
    subscription_id: str
    resource_group: str
    workspace_name: str

    def as_config(self) -> dict[str, str]:
        return {
            "subscription_id": self.subscription_id,
            "resource_group": self.resource_group,
            "workspace_name": self.workspace_name,
        }


class Workspace:
    """The engine-side workspace. SDK facades wrap it; nothing here knows SDK names."""

    def __init__(self, root: Path, store: Store, caller: Any = None) -> None:
        self.root = Path(root)
        self.store = store
        self.caller = caller  # the principal the SDKs act as (None: the sandbox itself; see sandbox.security)

    def as_caller(self, principal: Any) -> "Workspace":
        """The same workspace, with engine calls checked against `principal`'s roles."""
        return Workspace(self.root, self.store, principal)

    # -- lifecycle -------------------------------------------------------------------------------
    @staticmethod
    def exists(root: Path) -> bool:
        return (Path(root) / DB_FILE).is_file()

    @classmethod
    def create(
        cls,
        root: Path,
        name: str = DEFAULT_NAME,
        subscription_id: str = DEFAULT_SUBSCRIPTION,
        resource_group: str = DEFAULT_RESOURCE_GROUP,
        location: str = DEFAULT_LOCATION,
    ) -> "Workspace":
        root = Path(root)
        root.mkdir(parents=True, exist_ok=True)
        store = Store(root / DB_FILE)
        ws = cls(root, store)
        with store.transaction():
            if store.get_meta("workspace_name") is not None:
                return ws  # created meanwhile by another process
            store.set_meta("workspace_name", name)
            store.set_meta("subscription_id", subscription_id)
            store.set_meta("resource_group", resource_group)
            store.set_meta("location", location)
            store.set_meta("workspace_id", str(uuid.uuid5(uuid.NAMESPACE_URL, f"{subscription_id}/{resource_group}/{name}")))
            store.set_meta("created", iso_now())
            from sandbox import datastores

            datastores.seed_defaults(ws)
        return ws

    @classmethod
    def open(cls, root: Path) -> "Workspace":
        root = Path(root)
        if not cls.exists(root):
            raise WorkspaceNotFound(
                f"No sandbox workspace in {root}. Create one with `dp100 sandbox init`."
            )
        return cls(root, Store(root / DB_FILE))

    @classmethod
    def open_or_create(cls, root: Path) -> "Workspace":
        return cls.open(root) if cls.exists(root) else cls.create(root)

    @staticmethod
    def reset(root: Path) -> None:
        """Delete everything the workspace holds (its folder is recreated empty on next use)."""
        root = Path(root)
        if root.exists():
            shutil.rmtree(root)

    # -- identity --------------------------------------------------------------------------------
    def _meta(self, key: str) -> str:
        value = self.store.get_meta(key)
        if value is None:
            raise WorkspaceNotFound(f"The workspace store in {self.root} is incomplete; run `dp100 sandbox reset`.")
        return value

    @property
    def name(self) -> str:
        return self._meta("workspace_name")

    @property
    def subscription_id(self) -> str:
        return self._meta("subscription_id")

    @property
    def resource_group(self) -> str:
        return self._meta("resource_group")

    @property
    def location(self) -> str:
        return self._meta("location")

    @property
    def workspace_id(self) -> str:
        return self._meta("workspace_id")

    @property
    def coordinates(self) -> Coordinates:
        return Coordinates(self.subscription_id, self.resource_group, self.name)

    @property
    def arm_id(self) -> str:
        return (
            f"/subscriptions/{self.subscription_id}/resourceGroups/{self.resource_group}"
            f"/providers/Microsoft.MachineLearningServices/workspaces/{self.name}"
        )

    @property
    def storage_dir(self) -> Path:
        return self.root / "storage"

    def storage_account_name(self) -> str:
        base = "".join(ch for ch in self.name.lower() if ch.isalnum())[:14] or "dp100"
        return f"{base}{self.workspace_id.replace('-', '')[:8]}"


def current_workspace() -> Workspace:
    """The workspace the current process is bound to (`DP100_WORKSPACE` or the default), created on first use."""
    from sandbox.home import workspace_dir

    return Workspace.open_or_create(workspace_dir())

