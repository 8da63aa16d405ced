"""Jobs as the registry shows them (sandbox.domains): rows for `dp100 sandbox ls jobs`, experiments → runs."""
from __future__ import annotations

from typing import TYPE_CHECKING

from sandbox.jobs import records

if TYPE_CHECKING:
    from sandbox.workspace import Workspace


def ls_rows(ws: "Workspace", name: str | None = None) -> list[dict]:
    return [{"name": j.name, "experiment": j.experiment, "status": j.status, "kind": j.kind, "sdk": j.sdk,
             "compute": j.compute, "created": j.created} for j in records.list_jobs(ws, experiment=name)]


def count(ws: "Workspace") -> int:
    return len(records.list_jobs(ws, top_level_only=True))


def tree(ws: "Workspace") -> list:
    from sandbox.domains import Entry

    top = records.list_jobs(ws, top_level_only=True)
    out = []
    for experiment in records.experiments(ws):
        runs = [j for j in top if j.experiment == experiment]
        if runs:
            out.append(Entry(("experiment", experiment), f"{experiment} ({len(runs)})", children=tuple(
                Entry(("run", j.name), j.display_name or j.name, j.status) for j in runs)))
    return out
