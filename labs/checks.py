"""The check API for lab authors.

A lab's `checks.py` declares checks with the `check` decorator, in the order they should be shown::

    from labs.checks import check, expect

    @check("The diabetes dataset is registered", points=2,
           hint="Call .register(workspace=ws, name='diabetes-tabular') on the dataset.")
    def dataset_registered(ctx):
        reg = ctx.dataset("diabetes-tabular")
        expect(reg.definition.kind == "tabular", "Register a *tabular* dataset (Dataset.Tabular...).")

A check passes when it returns; it fails with `CheckFailed` (raised by `expect`, `fail` and the `Context`
helpers) whose message tells the learner what to change. Checks run in the grader's process, after the
learner's code has finished, against the workspace state: nothing the learner's process prints or writes to a
file of its choosing can make a check pass.
"""
from __future__ import annotations

import ast
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable

from sandbox.errors import SandboxError

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

    from labs.manifest import Lab
    from labs.runner import RunOutcome
    from sandbox.workspace import Workspace


class CheckFailed(Exception):
    """A check did not pass; the message says what to change."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def fail(message: str) -> None:
    raise CheckFailed(message)


def expect(condition: object, message: str) -> None:
    """Fail the check with `message` unless `condition` is true."""
    if not condition:
        raise CheckFailed(message)


@dataclass(frozen=True)
class Check:
    """One declared check (what the `check` decorator returns)."""

    name: str
    title: str
    points: int
    hint: str | None
    func: Callable[["Context"], Any]

    def __call__(self, ctx: "Context") -> Any:
        return self.func(ctx)


def check(title: str, *, points: int = 1, hint: str | None = None, name: str | None = None) -> Callable[[Callable], Check]:
    """Declare a check worth `points`, shown as `title`; `hint` is shown when it does not pass."""
    if not isinstance(points, int) or points < 1:
        raise ValueError("points must be a whole number >= 1")

    def wrap(func: Callable[["Context"], Any]) -> Check:
        return Check(name or func.__name__, title, points, hint, func)

    return wrap


def collect(namespace: dict[str, Any]) -> list[Check]:
    """The checks of a loaded checks module, in file order."""
    return [value for value in namespace.values() if isinstance(value, Check)]


# -- what checks see ---------------------------------------------------------------------------------
@dataclass
class Context:
    """What a check can inspect: the workspace after the run, the learner's sources, and helpers."""

    ws: "Workspace"
    lab: "Lab"
    folder: Path
    sources: dict[str, str]
    entry: str
    outcome: "RunOutcome | None" = None
    predictor: Callable[[Path, "pd.DataFrame"], "np.ndarray"] | None = None
    _cache: dict[str, Any] = field(default_factory=dict)

    # -- the learner's source ---------------------------------------------------------------------
    def source(self, path: str | None = None) -> str:
        """The text of a learner file as it was before the run (default: the entry point; notebooks as code)."""
        key = path or self.entry
        if key not in self.sources:
            raise CheckFailed(f"Your submission has no file {key!r}; keep the file names of the starter.")
        return self.sources[key]

    def tree(self, path: str | None = None) -> ast.Module:
        key = f"ast:{path or self.entry}"
        if key not in self._cache:
            try:
                self._cache[key] = ast.parse(self.source(path))
            except SyntaxError as exc:
                raise CheckFailed(f"{path or self.entry} has a syntax error at line {exc.lineno}: {exc.msg}.") from None
        return self._cache[key]

    def calls(self, name: str, path: str | None = None) -> list[ast.Call]:
        """Calls in the source whose function is `name` or ends with `.name` (e.g. 'register', 'Dataset.get_by_name')."""
        wanted = name.split(".")
        found = []
        for node in ast.walk(self.tree(path)):
            if isinstance(node, ast.Call) and _dotted(node.func)[-len(wanted):] == wanted:
                found.append(node)
        return found

    def keyword(self, call: ast.Call, name: str) -> Any:
        """The literal value of a keyword argument of a call (None when absent or not a literal)."""
        for kw in call.keywords:
            if kw.arg == name:
                try:
                    return ast.literal_eval(kw.value)
                except ValueError:
                    return None
        return None

    # -- datastores and data ------------------------------------------------------------------------
    def datastore(self, name: str, kind: str | None = None) -> Any:
        from sandbox import datastores

        try:
            record = datastores.get(self.ws, name)
        except SandboxError:
            names = ", ".join(d.name for d in datastores.list_all(self.ws))
            raise CheckFailed(f"No datastore named {name!r} is registered (the workspace has: {names}). "
                              "Check the name you passed when registering it.") from None
        if kind is not None and record.kind != kind:
            raise CheckFailed(f"Datastore {name!r} is a {record.kind} datastore; register it as {kind}.")
        return record

    def datastore_files(self, name: str, prefix: str = "") -> list[str]:
        from sandbox import datastores

        self.datastore(name)
        return datastores.list_files(self.ws, name, prefix)

    def dataset(self, name: str, version: int | str | None = "latest") -> Any:
        """A registered v1 dataset (`sandbox.datasets.Registration`)."""
        from sandbox import datasets

        try:
            return datasets.get(self.ws, name, version)
        except SandboxError:
            versions = [r.version for r in datasets.list_versions(self.ws, name)]
            if versions:
                raise CheckFailed(f"Dataset {name!r} has versions {versions}, not version {version}. "
                                  "Register a changed definition with create_new_version=True.") from None
            names = ", ".join(r.name for r in datasets.list_latest(self.ws)) or "none"
            raise CheckFailed(f"No dataset named {name!r} is registered (registered: {names}). "
                              f"Register it with .register(workspace=ws, name={name!r}).") from None

    def dataset_versions(self, name: str) -> list[Any]:
        from sandbox import datasets

        return datasets.list_versions(self.ws, name)

    def dataset_frame(self, name: str, version: int | str | None = "latest") -> "pd.DataFrame":
        from sandbox import datasets

        reg = self.dataset(name, version)
        try:
            return datasets.to_dataframe(self.ws, reg.definition)
        except SandboxError as exc:
            raise CheckFailed(f"Dataset {name!r} (version {reg.version}) cannot be read: {exc}") from None

    def data_asset(self, name: str, version: str | None = None) -> Any:
        """A v2 data asset (`sandbox.data.DataAsset`), the latest when `version` is None."""
        from sandbox import data

        try:
            if version is None:
                return data.get(self.ws, name, label="latest")
            return data.get(self.ws, name, version=str(version))
        except SandboxError:
            versions = [a.version for a in data.list_assets(self.ws, name)]
            if versions:
                raise CheckFailed(f"Data asset {name!r} has versions {versions}, not version {version!r}.") from None
            names = ", ".join(a.name for a in data.list_assets(self.ws)) or "none"
            raise CheckFailed(f"No data asset named {name!r} exists (the workspace has: {names}). "
                              "Create it with ml_client.data.create_or_update(Data(...)).") from None

    def data_versions(self, name: str) -> list[Any]:
        from sandbox import data

        return data.list_assets(self.ws, name)

    def local_path(self, uri: str) -> Path:
        from sandbox import uris

        return uris.resolve(self.ws, uri)

    # -- jobs, runs and metrics -----------------------------------------------------------------------
    def jobs(self, experiment: str | None = None, kind: str | None = None, status: str | None = None) -> list[Any]:
        """Jobs/runs of the workspace, newest first (`sandbox.jobs.JobRecord`)."""
        from sandbox import jobs

        records = jobs.list_jobs(self.ws, experiment=experiment)
        return [r for r in records if (kind is None or r.kind == kind) and (status is None or r.status == status)]

    def job(self, experiment: str | None = None, kind: str | None = None, completed: bool = True) -> Any:
        """The newest job matching; with `completed`, the newest Completed one (failing with a clear message)."""
        found = self.jobs(experiment, kind)
        where = f" in experiment {experiment!r}" if experiment else ""
        what = {"script": "script run (ScriptRunConfig)", "command": "command job", "interactive": "run"}.get(kind or "", "run")
        if not found:
            raise CheckFailed(f"No {what}{where} was found. Submit it and wait for it to finish.")
        if not completed:
            return found[0]
        done = [r for r in found if r.status == "Completed"]
        if not done:
            latest = found[0]
            reason = f": {latest.error.get('message')}" if latest.error else ""
            raise CheckFailed(f"Your latest {what}{where} ended {latest.status}{reason}. Fix it so that it completes.")
        return done[0]

    def metrics(self, job: Any) -> dict[str, Any]:
        """A run's metrics in v1 `get_metrics()` shapes (one value -> scalar, several -> list)."""
        from sandbox import runs

        return runs.metrics(self.ws, job.name)

    def metric(self, job: Any, name: str) -> float:
        """The last value of a numeric metric of the run."""
        value = self.metrics(job).get(name)
        if value is None:
            logged = ", ".join(sorted(self.metrics(job))) or "none"
            raise CheckFailed(f"Run {job.name} has no metric {name!r} (it logged: {logged}). Log it with that exact name.")
        if isinstance(value, list):
            value = value[-1]
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise CheckFailed(f"Metric {name!r} of run {job.name} is not a number ({value!r}).") from None
        if math.isnan(number):
            raise CheckFailed(f"Metric {name!r} of run {job.name} is NaN.")
        return number

    def run_with_metric(self, name: str, *, at_least: float | None = None, at_most: float | None = None,
                        experiment: str | None = None, kind: str | None = None) -> Any:
        """The newest completed run that logged metric `name` within the bounds."""
        candidates = [r for r in self.jobs(experiment, kind) if r.status == "Completed"]
        if not candidates:
            self.job(experiment, kind)  # raises the helpful message
        seen = []
        for run in candidates:
            values = self.metrics(run).get(name)
            if values is None:
                continue
            value = values[-1] if isinstance(values, list) else values
            try:
                value = float(value)
            except (TypeError, ValueError):
                continue
            seen.append(value)
            if (at_least is None or value >= at_least) and (at_most is None or value <= at_most):
                return run
        if not seen:
            raise CheckFailed(f"No completed run logged a metric named {name!r}. Log it with exactly that name.")
        bounds = " and ".join(b for b in (f">= {at_least}" if at_least is not None else "",
                                          f"<= {at_most}" if at_most is not None else "") if b)
        raise CheckFailed(f"Metric {name!r} is {seen[0]:.4g}; it should be {bounds}.")

    def params(self, job: Any) -> dict[str, str]:
        from sandbox import tracking

        return tracking.get_params(self.ws, job.name)

    def run_files(self, job: Any) -> list[str]:
        from sandbox import runs

        return runs.file_names(self.ws, job.name)

    def run_log(self, job: Any) -> str:
        from sandbox import jobs

        path = jobs.log_path(self.ws, job.name)
        return path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""

    # -- models --------------------------------------------------------------------------------------
    def model(self, name: str, version: int | str | None = None) -> Any:
        """A registered model (`sandbox.models.ModelRecord`), the latest when `version` is None."""
        from sandbox import models

        try:
            return models.get(self.ws, name, version)
        except SandboxError:
            versions = [m.version for m in models.list_models(self.ws, name)]
            if versions:
                raise CheckFailed(f"Model {name!r} has versions {sorted(versions)}, not version {version}.") from None
            names = ", ".join(sorted({m.name for m in models.list_models(self.ws)})) or "none"
            raise CheckFailed(f"No model named {name!r} is registered (registered: {names}). "
                              "Register it under exactly that name.") from None

    def model_versions(self, name: str) -> list[Any]:
        from sandbox import models

        return sorted(models.list_models(self.ws, name), key=lambda m: m.version)

    def model_from_run(self, name: str, version: int | str | None = None) -> tuple[Any, Any]:
        """A registered model that came from a run of this workspace, and that run."""
        from sandbox import jobs

        model = self.model(name, version)
        if not model.run_id:
            raise CheckFailed(f"Model {name!r} was registered from a local file, not from a run. Register it from "
                              "the run (run.register_model(...) or a job output path) so its lineage is kept.")
        try:
            return model, jobs.get(self.ws, model.run_id)
        except SandboxError:
            raise CheckFailed(f"Model {name!r} names run {model.run_id}, which does not exist.") from None

    def model_path(self, model: Any) -> Path:
        from sandbox import models

        return models.path_of(self.ws, model)

    def predict(self, model: Any, frame: "pd.DataFrame") -> "np.ndarray":
        """Score rows with a registered model, loaded in an isolated child process (never in the grader)."""
        if self.predictor is None:
            raise RuntimeError("this context cannot score models")
        return self.predictor(self.model_path(model), frame)

    def accuracy(self, model: Any, frame: "pd.DataFrame", label: str = "Diabetic") -> float:
        import numpy as np

        features = frame.drop(columns=[label])
        predictions = np.asarray(self.predict(model, features)).reshape(-1)
        if predictions.shape[0] != len(frame):
            raise CheckFailed(f"The model returned {predictions.shape[0]} predictions for {len(frame)} rows.")
        if predictions.dtype.kind == "f" and set(np.unique(predictions)) - {0.0, 1.0}:
            predictions = (predictions >= 0.5).astype(int)
        return float((predictions.astype(int) == frame[label].to_numpy().astype(int)).mean())

    # -- environments and compute (when the sandbox has them) ------------------------------------------
    def environment(self, name: str, version: str | None = None) -> Any:
        from sandbox import environments

        try:
            return environments.get(self.ws, name, version=version) if version else environments.get(self.ws, name, label="latest")
        except SandboxError:
            names = ", ".join(sorted({e.name for e in environments.list_environments(self.ws)
                                      if not e.name.lower().startswith("azureml")})) or "none"
            raise CheckFailed(f"No environment named {name!r} is registered (your environments: {names}). "
                              "Register it with ml_client.environments.create_or_update(...).") from None

    def environment_packages(self, env: Any) -> set[str]:
        from sandbox import environments

        reqs, _ = environments.requirements(env.definition)
        return {environments.canonical(r.name) for r in reqs}

    def environment_has_package(self, name: str, package: str) -> Any:
        from sandbox import environments

        env = self.environment(name)
        if environments.canonical(package) not in self.environment_packages(env):
            raise CheckFailed(f"Environment {name!r} does not install {package!r}. Add it to the conda file's "
                              "pip list (or the dependencies) and register the environment again.")
        return env

    def cluster(self, name: str) -> Any:
        from sandbox import compute

        try:
            return compute.get(self.ws, name)
        except SandboxError:
            names = ", ".join(c.name for c in compute.list_computes(self.ws)) or "none"
            raise CheckFailed(f"No compute named {name!r} exists (the workspace has: {names}). "
                              "Create it with ml_client.compute.begin_create_or_update(...).") from None

    def cluster_max_nodes(self, name: str, max_nodes: int) -> Any:
        cluster = self.cluster(name)
        actual = getattr(cluster, "max_nodes", None)
        if actual != max_nodes:
            raise CheckFailed(f"Cluster {name!r} scales to at most {actual} nodes; set max_instances={max_nodes}.")
        return cluster

    # -- fixture data ----------------------------------------------------------------------------------
    def diabetes(self, rows: int = 10000, seed: int = 0) -> "pd.DataFrame":
        key = f"diabetes:{rows}:{seed}"
        if key not in self._cache:
            from labs.sample_data import diabetes_frame

            self._cache[key] = diabetes_frame(rows, seed)
        return self._cache[key].copy()

    def holdout(self, rows: int = 1000, seed: int = 12345) -> "pd.DataFrame":
        """Patients the learner never saw (a different seed), without PatientID."""
        return self.diabetes(rows, seed).drop(columns=["PatientID"])


def _dotted(node: ast.AST) -> list[str]:
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
    return list(reversed(parts))


def same_rows(actual: "pd.DataFrame", expected: "pd.DataFrame", columns: Iterable[str] | None = None) -> bool:
    """True when two frames hold the same rows (in any order), comparing `columns` (default: expected's)."""
    cols = list(columns or expected.columns)
    if any(c not in actual.columns for c in cols) or len(actual) != len(expected):
        return False
    left = actual[cols].astype(str).sort_values(cols).reset_index(drop=True)
    right = expected[cols].astype(str).sort_values(cols).reset_index(drop=True)
    return bool(left.equals(right))
