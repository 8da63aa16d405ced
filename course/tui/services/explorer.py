"""What the sandbox explorer shows, read from the sandbox engines (`sandbox.*`) into plain records.

`Explorer` opens the learner's workspace lazily and answers: the tree (`sections`), the details of one node
(`detail`), a table preview of a dataset / data asset (`preview`, first rows only), a run's log tail and
metric series. Everything may be slow (pandas, big folders), so screens call it from worker threads.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PREVIEW_ROWS = 50
MAX_FILES = 500
LOG_TAIL_BYTES = 64_000


@dataclass(frozen=True)
class Node:
    """One entry of the explorer tree. `key` identifies it, e.g. ("run", "<name>")."""

    key: tuple[str, ...]
    label: str
    children: tuple["Node", ...] = ()
    status: str | None = None     # runs and compute: a status word the tree colours
    leaf: bool = True


@dataclass
class Detail:
    title: str
    fields: list[tuple[str, str]] = field(default_factory=list)
    table: tuple[list[str], list[list[str]]] | None = None   # files, versions, ...
    preview_key: tuple[str, ...] | None = None               # ask `preview()` for a data table
    series: dict[str, list[float]] = field(default_factory=dict)
    log: str | None = None
    active: bool = False                                    # a run that is still going: refresh it


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.6g}"
    if isinstance(value, dict):
        return ", ".join(f"{k}={_fmt(v)}" for k, v in value.items()) or "—"
    if isinstance(value, (list, tuple)):
        return ", ".join(_fmt(v) for v in value) or "—"
    return "—" if value is None or value == "" else str(value)


class Explorer:
    def __init__(self, workspace_dir: Path) -> None:
        self.workspace_dir = Path(workspace_dir)
        self._ws: Any = None

    # -- workspace ---------------------------------------------------------------------------------------------
    @property
    def exists(self) -> bool:
        from sandbox.workspace import Workspace

        return Workspace.exists(self.workspace_dir)

    @property
    def ws(self) -> Any:
        if self._ws is None:
            from sandbox.workspace import Workspace

            self._ws = Workspace.open_or_create(self.workspace_dir)
        return self._ws

    def close(self) -> None:
        if self._ws is not None:
            try:
                self._ws.store.close()
            except Exception:
                pass
            self._ws = None

    # -- tree --------------------------------------------------------------------------------------------------
    def sections(self) -> list[Node]:
        """The explorer tree: one section per sandbox domain (`sandbox.domains`), in the registry's order."""
        from sandbox import domains

        ws = self.ws
        out: list[Node] = []
        for domain in domains.DOMAINS:
            entries = tuple(_node(e) for e in domain.tree(ws))
            out.append(Node(("section", domain.kind), f"{domain.title} ({len(entries)})", entries, leaf=False))
        return out

    def active_runs(self) -> list[str]:
        from sandbox import jobs

        return [j.name for j in jobs.list_jobs(self.ws) if not j.is_terminal]

    # -- details -----------------------------------------------------------------------------------------------
    def detail(self, key: tuple[str, ...]) -> Detail:
        kind = key[0]
        method = getattr(self, f"_detail_{kind}", None)
        if method is None and kind != "section":
            generic = self._detail_from_registry(key)
            if generic is not None:
                return generic
        if method is None:
            return Detail(key[-1].replace("-", " ").capitalize() if kind == "section" else " · ".join(key),
                          [("", "Pick an item on the left to see its details.")])
        return method(*key[1:])

    def _detail_from_registry(self, key: tuple[str, ...]) -> Detail | None:
        """Any registered domain's item: the fields of its `ls` row (domains without a detail view of their own)."""
        from sandbox import domains

        for domain in domains.DOMAINS:
            if (domain.node or domain.kind) == key[0] and len(key) > 1:
                for row in domain.rows(self.ws, None):
                    if str(row.get("name")) == key[1]:
                        return Detail(f"{domain.title}: {key[1]}",
                                      [(str(k).capitalize(), _fmt(v)) for k, v in row.items() if k != "name"])
        return None

    def _detail_datastore(self, name: str) -> Detail:
        from sandbox import datastores

        d = datastores.get(self.ws, name)
        files = datastores.list_files(self.ws, name)
        base = datastores.root(self.ws, name)
        rows = []
        for rel in files[:MAX_FILES]:
            try:
                size = (base / rel).stat().st_size
            except OSError:
                size = 0
            rows.append([rel, _size(size)])
        fields = [("Kind", d.kind), ("Account", d.account_name), ("Container", d.container),
                  ("Credential", d.credential_type), ("Default", "yes" if d.is_default else "no"),
                  ("Files", f"{len(files)}" + (f" (first {MAX_FILES} shown)" if len(files) > MAX_FILES else ""))]
        if d.description:
            fields.append(("Description", d.description))
        return Detail(f"Datastore {name}", fields, table=(["Path", "Size"], rows))

    def _detail_asset(self, name: str, version: str | None = None) -> Detail:
        from sandbox import data

        if version is None:
            vs = data.list_assets(self.ws, name)
            rows = [[v.version, v.type, v.path, v.created[:19]] for v in vs]
            return Detail(f"Data asset {name}", [("Versions", str(len(vs)))],
                          table=(["Version", "Type", "Path", "Created"], rows))
        a = data.get(self.ws, name, version)
        fields = [("Type", a.type), ("Path", a.path), ("Created", a.created[:19] or "—"),
                  ("Description", a.description or "—"), ("Tags", _fmt(a.tags))]
        return Detail(f"Data asset {name}:{version}", fields, preview_key=("asset", name, version))

    def _detail_dataset(self, name: str, version: str | None = None) -> Detail:
        from sandbox import datasets

        if version is None:
            vs = datasets.list_versions(self.ws, name)
            rows = [[str(v.version), v.definition.kind, ", ".join(v.definition.paths), v.created[:19]] for v in vs]
            return Detail(f"Dataset {name}", [("Versions", str(len(vs)))],
                          table=(["Version", "Kind", "Paths", "Created"], rows))
        reg = datasets.get(self.ws, name, int(version))
        d = reg.definition
        fields = [("Kind", d.kind), ("Paths", ", ".join(d.paths)), ("Id", reg.dataset_id),
                  ("Steps", ", ".join(next(iter(s)) for s in d.steps) or "—"),
                  ("Description", reg.description or "—"), ("Tags", _fmt(reg.tags))]
        return Detail(f"Dataset {name} v{version}", fields,
                      preview_key=("dataset", name, version) if d.kind.lower() == "tabular" else None,
                      table=None if d.kind.lower() == "tabular" else self._dataset_files(d))

    def _dataset_files(self, definition: Any) -> tuple[list[str], list[list[str]]]:
        from sandbox import datasets

        try:
            files = datasets.files_of(self.ws, definition)
        except Exception as exc:
            return (["Problem"], [[str(exc)]])
        return (["File"], [[rel] for _f, rel in files[:MAX_FILES]])

    def _detail_experiment(self, name: str) -> Detail:
        from sandbox import jobs

        runs = jobs.list_jobs(self.ws, experiment=name, top_level_only=True)
        rows = [[j.display_name or j.name, j.status, j.kind, (j.start_time or j.created or "")[:19]] for j in runs]
        return Detail(f"Experiment {name}", [("Runs", str(len(runs)))], table=(["Run", "Status", "Kind", "Started"], rows))

    def _detail_run(self, name: str) -> Detail:
        from sandbox import jobs, runs, tracking

        ws = self.ws
        j = jobs.get(ws, name)
        try:
            params = tracking.get_params(ws, name)
        except Exception:
            params = {}
        try:
            history = tracking.metric_history(ws, name)
        except Exception:
            history = {}
        try:
            metrics = runs.metrics(ws, name)
        except Exception:
            metrics = {k: (v[-1] if v else None) for k, v in history.items()}
        fields = [("Name", j.name), ("Experiment", j.experiment), ("Status", j.status), ("Kind", f"{j.kind} ({j.sdk})"),
                  ("Compute", j.compute or "local"), ("Environment", j.environment or "—"),
                  ("Started", (j.start_time or "—")[:19]), ("Ended", (j.end_time or "—")[:19])]
        if j.display_name and j.display_name != j.name:
            fields.insert(1, ("Display name", j.display_name))
        if j.error:
            fields.append(("Error", str(j.error.get("message") or j.error)))
        for k, v in sorted(params.items()):
            fields.append((f"param {k}", str(v)))
        for k, v in sorted(metrics.items()):
            shown = v[-1] if isinstance(v, list) and v and not isinstance(v[-1], (dict, list)) else v
            more = f" (last of {len(v)})" if isinstance(v, list) and len(v) > 1 else ""
            fields.append((f"metric {k}", _fmt(shown) + more))
        try:
            files = runs.file_names(ws, name)
        except Exception:
            files = []
        series = {k: [x for x in v if not math.isnan(x)] for k, v in history.items() if len(v) > 1}
        return Detail(f"Run {j.display_name or j.name}", fields, table=(["Artifact"], [[f] for f in files]),
                      series=series, log=self.log_tail(name), active=not j.is_terminal)

    def log_tail(self, name: str) -> str:
        from sandbox import jobs

        path = jobs.log_path(self.ws, name)
        if not path.exists():
            return "(no log yet)"
        with path.open("rb") as f:
            size = path.stat().st_size
            if size > LOG_TAIL_BYTES:
                f.seek(size - LOG_TAIL_BYTES)
            text = f.read().decode("utf-8", errors="replace")
        return text if size <= LOG_TAIL_BYTES else "…\n" + text.split("\n", 1)[-1]

    def _detail_model(self, name: str, version: str) -> Detail:
        from sandbox import models

        m = models.get(self.ws, name, int(version))
        folder = models.path_of(self.ws, m)
        files = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()) if folder.is_dir() \
            else ([folder.name] if folder.exists() else [])
        fields = [("Type", m.type), ("Framework", f"{m.framework or '—'} {m.framework_version or ''}".strip()),
                  ("From run", m.run_id or "—"), ("Source", m.source or "—"), ("Created", m.created[:19] or "—"),
                  ("Description", m.description or "—"), ("Tags", _fmt(m.tags))]
        return Detail(f"Model {name}:{version}", fields, table=(["File"], [[f] for f in files[:MAX_FILES]]))

    def _detail_environment(self, name: str, version: str) -> Detail:
        from sandbox import environments

        e = environments.get(self.ws, name, version)
        d = e.definition
        conda = d.conda or {}
        deps = []
        for dep in conda.get("dependencies", []) or []:
            if isinstance(dep, dict):
                deps.extend(f"pip: {p}" for p in dep.get("pip", []) or [])
            else:
                deps.append(str(dep))
        fields = [("Reference", e.ref), ("Curated", "yes" if e.curated else "no"), ("Image", d.image or "—"),
                  ("Dockerfile", "yes" if d.dockerfile else "no"), ("Conda", conda.get("name", "—") if conda else "—"),
                  ("Description", e.description or "—")]
        return Detail(f"Environment {name}:{version}", fields, table=(["Dependency"], [[x] for x in deps]))

    def _detail_compute(self, name: str) -> Detail:
        from sandbox import compute

        c = compute.get(self.ws, name)
        fields = [("Kind", c.kind), ("Size", c.size), ("Tier", c.tier), ("State", c.state or c.provisioning_state),
                  ("Nodes", f"{c.current_node_count} now (min {c.min_nodes}, max {c.max_nodes}); "
                            f"{c.busy_node_count} busy, {c.idle_node_count} idle"),
                  ("Allocation", c.allocation_state), ("Idle before scale-down", f"{c.idle_seconds} s"),
                  ("Running jobs", ", ".join(c.running_jobs) or "—"), ("Queued jobs", ", ".join(c.queued_jobs) or "—")]
        return Detail(f"Compute {name}", fields, active=bool(c.running_jobs or c.queued_jobs))

    # -- table previews ----------------------------------------------------------------------------------------
    def preview(self, key: tuple[str, ...], rows: int = PREVIEW_ROWS) -> tuple[list[str], list[list[str]], str]:
        """(columns, first rows as text, a note) for a tabular dataset or data asset."""
        df = self._frame(key)
        total = len(df)
        head = df.head(rows)
        cols = [str(c) for c in head.columns]
        body = [[_cell(v) for v in row] for row in head.itertuples(index=False, name=None)]
        note = f"{total} rows × {len(cols)} columns" + (f"; first {rows} shown" if total > rows else "")
        return cols, body, note

    def _frame(self, key: tuple[str, ...]) -> Any:
        import pandas as pd

        kind, name, version = key
        if kind == "dataset":
            from sandbox import datasets

            return datasets.to_dataframe(self.ws, datasets.get(self.ws, name, int(version)).definition)
        from sandbox import data, mltables, uris

        a = data.get(self.ws, name, version)
        local = uris.resolve(self.ws, a.path)
        if a.type == "mltable":
            folder = local if local.is_dir() else local.parent
            return mltables.to_dataframe(mltables.read_document(folder), folder, lambda: self.ws)
        files = [local] if local.is_file() else sorted(p for p in local.rglob("*") if p.is_file())
        tabular = [p for p in files if p.suffix.lower() in (".csv", ".tsv", ".parquet", ".txt")]
        if not tabular:
            return pd.DataFrame({"File": [p.relative_to(local).as_posix() if local.is_dir() else p.name for p in files]})
        p = tabular[0]
        if p.suffix.lower() == ".parquet":
            return pd.read_parquet(p)
        return pd.read_csv(p, sep="\t" if p.suffix.lower() == ".tsv" else ",", nrows=10_000)


def _node(entry: Any) -> Node:
    children = tuple(_node(c) for c in entry.children)
    return Node(tuple(entry.key), entry.label, children, status=entry.status, leaf=not children)


def _cell(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        return "" if math.isnan(v) else f"{v:.6g}"
    return str(v)


def _size(n: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024  # type: ignore[assignment]
    return str(n)
