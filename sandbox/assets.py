"""Versioned assets: the rules data assets, environments, models and components share.

Each asset domain keeps its own table with at least `name`, `version`, `archived` and `seq` (creation order in
the workspace). `Versions` answers the questions every domain asks the same way:

- the next version (highest numeric version + 1; "1" for a new name),
- one version, or `latest` (the most recently created version that is not archived),
- immutability (an existing version may be registered again only with the same definition),
- archive and restore (one version or all), and listing the latest version of each name.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sandbox.errors import AlreadyExists, InvalidInput, NotFound

if TYPE_CHECKING:
    import sqlite3

    from sandbox.workspace import Workspace

LATEST = "latest"


@dataclass(frozen=True)
class Versions:
    """The versioning rules over one table. `what` names the asset in messages ("Data asset", "Environment")."""

    table: str
    what: str
    integer_versions: bool = False  # models keep int versions; data, environments and components strings
    hidden_names: tuple[str, ...] = ()  # listed only when asked for by name (e.g. anonymous environments)

    def _key(self, version: Any) -> Any:
        if self.integer_versions:
            try:
                return int(version)
            except (TypeError, ValueError):
                raise InvalidInput(f"{self.what} versions are whole numbers or 'latest'; got {version!r}.") from None
        return str(version)

    # -- reading ----------------------------------------------------------------------------------------------
    def row(self, ws: "Workspace", name: str, version: Any) -> "sqlite3.Row | None":
        return ws.store.one(f"SELECT * FROM {self.table} WHERE name = ? AND version = ?", name, self._key(version))

    def latest_row(self, ws: "Workspace", name: str, include_archived: bool = False) -> "sqlite3.Row | None":
        archived = "" if include_archived else " AND archived = 0"
        return ws.store.one(f"SELECT * FROM {self.table} WHERE name = ?{archived} ORDER BY seq DESC LIMIT 1", name)

    def find(self, ws: "Workspace", name: str, version: Any = None, label: str | None = None, *,
             require_one: bool = False) -> "sqlite3.Row":
        """One version, or the latest (label "latest", or neither when `require_one` is False). Raises NotFound."""
        if version is not None and label is not None:
            raise InvalidInput("Cannot specify both version and label; pass one of them.")
        if version is None and label is None and require_one:
            raise InvalidInput('Must provide either version or label, e.g. get(name, version="1") or label="latest".')
        if label is not None and label != LATEST:
            raise InvalidInput(f"Unknown label {label!r}; the only label is 'latest'.")
        if version is not None and str(version) != LATEST:
            row = self.row(ws, name, version)
        else:
            row = self.latest_row(ws, name)
        if row is None:
            raise self.not_found(ws, name, version if str(version) != LATEST else None)
        return row

    def versions(self, ws: "Workspace", name: str, include_archived: bool = True) -> list[str]:
        archived = "" if include_archived else " AND archived = 0"
        return [str(r["version"]) for r in
                ws.store.all(f"SELECT version FROM {self.table} WHERE name = ?{archived} ORDER BY seq", name)]

    def not_found(self, ws: "Workspace", name: str, version: Any = None) -> NotFound:
        known = self.versions(ws, name)
        if version is None:
            return NotFound(f"{self.what} {name!r} was not found in the workspace.")
        listing = f" Versions of {name!r}: {', '.join(known)}." if known else ""
        return NotFound(f"{self.what} {name}:{version} was not found in the workspace.{listing}")

    def rows(self, ws: "Workspace", name: str | None = None, include_archived: bool = False) -> list["sqlite3.Row"]:
        """Every version of `name` (oldest first), or the latest version of every name (by name)."""
        archived = "" if include_archived else " AND archived = 0"
        if name is not None:
            return ws.store.all(f"SELECT * FROM {self.table} WHERE name = ?{archived} ORDER BY seq", name)
        hidden = "".join(" AND name != ?" for _ in self.hidden_names)
        return ws.store.all(
            f"SELECT t.* FROM {self.table} t JOIN (SELECT name, MAX(seq) AS s FROM {self.table} WHERE 1=1{archived}"
            f"{hidden} GROUP BY name) m ON t.seq = m.s ORDER BY t.name", *self.hidden_names)

    # -- writing (inside the caller's transaction) ------------------------------------------------------------
    def next_version(self, ws: "Workspace", name: str) -> Any:
        numbers = [int(r["version"]) for r in ws.store.all(f"SELECT version FROM {self.table} WHERE name = ?", name)
                   if str(r["version"]).isdigit()]
        number = max(numbers, default=0) + 1
        return number if self.integer_versions else str(number)

    def next_seq(self, ws: "Workspace") -> int:
        return ws.store.one(f"SELECT COALESCE(MAX(seq), 0) + 1 AS s FROM {self.table}")["s"]

    def refuse_change(self, name: str, version: Any) -> AlreadyExists:
        return AlreadyExists(
            f"{self.what} {name}:{version} already exists with a different definition, and versions are immutable. "
            "Use a new version, or leave version out to get the next one.")

    def set_archived(self, ws: "Workspace", name: str, version: Any, archived: bool) -> None:
        """Archive (or restore) one version, or every version of `name` when `version` is None."""
        if version is None:
            if self.latest_row(ws, name, include_archived=True) is None:
                raise self.not_found(ws, name)
            ws.store.run(f"UPDATE {self.table} SET archived = ? WHERE name = ?", int(archived), name)
        else:
            self.find(ws, name, version)
            ws.store.run(f"UPDATE {self.table} SET archived = ? WHERE name = ? AND version = ?", int(archived), name,
                         self._key(version))
