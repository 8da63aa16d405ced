"""Submitting a job: the one path every SDK facade (and the CLI) takes.

`submit` records the job (and its MLflow run), takes the code snapshot, and starts its supervisor, which runs
it whatever happens to the submitting process afterwards.
"""
from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel

from sandbox import snapshots
from sandbox.errors import InvalidInput
from sandbox.jobs import launcher, records
from sandbox.security import access

# What submitting needs: v1 submits a run to an experiment; v2 and the CLI create a job.
SUBMIT_ACTIONS = {"v1": "experiments/runs/submit/action", "v2": "jobs/write", "cli": "jobs/write"}

if TYPE_CHECKING:
    from sandbox.workspace import Workspace


@dataclass
class Submission:
    """Everything about a job except what it runs (that is the spec)."""

    name: str
    experiment: str
    kind: str                       # what the learner sees: "command", "script" (v1), "pipeline", "sweep", ...
    sdk: str                        # "v1", "v2" or "cli"
    display_name: str | None = None
    description: str | None = None
    tags: dict[str, str] = field(default_factory=dict)
    properties: dict[str, str] = field(default_factory=dict)
    compute: str | None = None
    environment: str | None = None  # a reference: "azureml:name:version", "name@latest", ...
    parent: str | None = None
    identity: str | None = None     # whose identity the job uses: user_identity | managed | aml_token


def submit(ws: "Workspace", submission: Submission, spec: BaseModel, code: str | Path | None = None,
           start: bool = True) -> records.JobRecord:
    """Record the job, snapshot `code` (a folder or one file), and start its supervisor."""
    access.check(ws, SUBMIT_ACTIONS.get(submission.sdk, "jobs/write"))
    source = Path(code) if code is not None else None
    if source is not None and not source.exists():
        raise InvalidInput(f"code={str(code)!r} does not exist; point it at the folder with your script.")
    records.create_record(ws, name=submission.name, experiment=submission.experiment, kind=submission.kind,
                   sdk=submission.sdk, spec=spec, display_name=submission.display_name,
                   description=submission.description, tags=submission.tags, properties=submission.properties,
                   compute=submission.compute, environment=submission.environment, parent=submission.parent,
                   identity=submission.identity)
    if source is not None:
        snapshot = records.job_dir(ws, submission.name) / "snapshot"
        if source.is_file():
            snapshot.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, snapshot / source.name)
        else:
            snapshots.take(source, snapshot)
    if start:
        start_job(ws, submission.name)
    return records.get(ws, submission.name)


def start_job(ws: "Workspace", name: str) -> None:
    """Start the supervisor of a recorded job and note which process it is."""
    supervisor = launcher.start_supervisor(ws.root, name)
    job = records.get(ws, name)
    if job.supervisor is None:  # the supervisor records itself too; whichever comes first
        records.update(ws, name, supervisor=supervisor)
