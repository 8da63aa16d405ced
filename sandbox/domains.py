"""The registry of sandbox domains: what `dp100 sandbox ls`, `dp100 sandbox status` and the TUI explorer show.

A domain is one entry here naming its engine module. The module provides, as plain data:

- `ls_rows(ws, name=None) -> list[dict]`: one row per item (`name` narrows it: versions, files, runs ...);
  every row has a "name" key;
- optionally `tree(ws) -> list[Entry]`: the explorer's nodes (default: one node per row, keyed `(kind, name)`);
- optionally `count(ws) -> int` (default: the number of rows).

Adding a domain (pipelines, schedules, endpoints, ...) = write those functions in its module and add one
`Domain(...)` line to `DOMAINS`; the CLI and the explorer pick it up.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sandbox.workspace import Workspace


@dataclass(frozen=True)
class Entry:
    """A node of the explorer tree: `key` identifies it (first item = what kind of thing it is)."""

    key: tuple[str, ...]
    label: str
    status: str | None = None
    children: tuple["Entry", ...] = ()


@dataclass(frozen=True)
class Domain:
    kind: str            # what `dp100 sandbox ls KIND` takes
    title: str           # the explorer's section heading
    module: str          # the engine module with ls_rows (and maybe tree, count); "module:attribute" for a part
    name_help: str = ""  # what NAME means in `dp100 sandbox ls KIND NAME`
    node: str = ""       # the explorer key of one item (default: kind)

    def _module(self) -> Any:
        module, _, attribute = self.module.partition(":")
        found = importlib.import_module(module)
        return getattr(found, attribute) if attribute else found

    def rows(self, ws: "Workspace", name: str | None = None) -> list[dict[str, Any]]:
        return self._module().ls_rows(ws, name)

    def count(self, ws: "Workspace") -> int:
        module = self._module()
        return module.count(ws) if hasattr(module, "count") else len(module.ls_rows(ws, None))

    def tree(self, ws: "Workspace") -> list[Entry]:
        module = self._module()
        if hasattr(module, "tree"):
            return module.tree(ws)
        return [Entry((self.node or self.kind, str(r["name"])), str(r["name"]), r.get("status") or r.get("state"))
                for r in module.ls_rows(ws, None)]


DOMAINS: list[Domain] = [
    Domain("datastores", "Datastores", "sandbox.datastores", "a datastore: its files", node="datastore"),
    Domain("data", "Data assets, v2", "sandbox.data", "a data asset: its versions", node="asset"),
    Domain("datasets", "Datasets, v1", "sandbox.datasets", "a dataset: its versions", node="dataset"),
    Domain("jobs", "Experiments", "sandbox.jobs.listing", "an experiment: its jobs", node="run"),
    Domain("models", "Models", "sandbox.models", "a model: its versions", node="model"),
    Domain("environments", "Environments", "sandbox.environments", "an environment: its versions",
           node="environment"),
    Domain("compute", "Compute", "sandbox.compute", "", node="compute"),
    Domain("identities", "Identities and roles", "sandbox.security.listing", "an identity: its roles",
           node="principal"),
    Domain("secrets", "Key Vault secrets", "sandbox.security.listing:secrets", "", node="secret"),
]


def kinds() -> list[str]:
    return [d.kind for d in DOMAINS]


def get(kind: str) -> Domain:
    for domain in DOMAINS:
        if domain.kind == kind:
            return domain
    import difflib

    close = difflib.get_close_matches(kind, kinds(), n=1)
    hint = f" Did you mean {close[0]!r}?" if close else ""
    raise KeyError(f"Unknown kind {kind!r}.{hint} Choose one of: {', '.join(kinds())}.")


def counts(ws: "Workspace") -> dict[str, int]:
    """How many of each kind the workspace holds."""
    return {d.kind: d.count(ws) for d in DOMAINS}
