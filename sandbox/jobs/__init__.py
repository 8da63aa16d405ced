"""Jobs (v2) and runs (v1): one submission path, one supervisor, one executor per kind of job.

    submit.py      submit(ws, Submission, spec, code): record, snapshot, start the supervisor
    specs.py       typed specs per kind (CommandSpec, ...), stored as JSON on the record
    records.py     the jobs table, Azure's states, cancel, wait, reconciling jobs whose supervisor died
    launcher.py    the per-workspace process that forks supervisors from a clean state
    supervisor.py  one process per job: dispatches on spec.kind to an executor, records the outcome
    executors/     command.py today; pipeline, sweep, automl and batch scoring register theirs
    inputs.py      materialising inputs/outputs and building the command line
    names.py       job names, run ids, experiment names
"""
from __future__ import annotations

from sandbox.jobs.names import experiment_from_folder, new_job_name, new_run_id, validate_experiment_name
from sandbox.jobs.records import (
    ACTIVE,
    TERMINAL,
    JobRecord,
    add_value,
    create,
    exists,
    experiments,
    get,
    job_dir,
    list_jobs,
    log_path,
    request_cancel,
    seq_of,
    set_status,
    update,
    values,
    wait,
)
from sandbox.jobs.submit import Submission, start_job, submit

__all__ = [
    "ACTIVE", "TERMINAL", "JobRecord", "Submission", "add_value", "create", "exists", "experiment_from_folder",
    "experiments", "get", "job_dir", "list_jobs", "log_path", "new_job_name", "new_run_id", "request_cancel",
    "seq_of", "set_status", "start_job", "submit", "update", "validate_experiment_name", "values", "wait",
]
