"""Command jobs: Preparing (environment image), Queued (waiting for a node), Running (the learner's process, in
its own process group, output streamed to user_logs/std_log.txt), Finalizing (outputs become artifacts).

Used for v2 `command(...)` jobs, v1 `ScriptRunConfig` runs and CLI YAML command jobs alike (one `CommandSpec`).
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sandbox import activation, processes, tracking
from sandbox.errors import NotFound, SandboxError
from sandbox.jobs import inputs, records
from sandbox.jobs.specs import CommandSpec
from sandbox.jobs.supervisor import JobCanceled, JobFailed, JobRun

SPEC = CommandSpec
DEFAULT_TIMEOUT = 3600.0
POLL = 0.05
HOOK_DIR = activation.HOOK_DIR


def execute(run: JobRun) -> None:
    allocation = None
    try:
        run.set_status("Preparing")
        env_info = prepare_environment(run)
        run.check_cancel()
        allocation = acquire_compute(run)
        code = run_process(run, env_info)
        if code == "cancelled":
            finalize(run)
            raise JobCanceled()
        if code == "timeout":
            finalize(run)
            raise JobFailed("JobTimeout", f"The job exceeded its time limit of {timeout_of(run):.0f} s and was stopped. "
                            "Make the script faster or raise the timeout.")
        run.set_status("Finalizing")
        finalize(run)
        if code != 0:
            raise JobFailed("UserError", f"Execution failed. User process 'python' exited with status code {code}. "
                            f"Please check log file 'user_logs/std_log.txt' for error details. Error: "
                            f"{_last_error(run.log_tail())}")
    finally:
        if allocation is not None:
            from sandbox import compute

            compute.release(run.ws, allocation)


def timeout_of(run: JobRun) -> float:
    return float(run.job.spec.timeout or DEFAULT_TIMEOUT)


def _last_error(tail: str) -> str:
    for line in reversed(tail.splitlines()):
        if line.strip() and not line.startswith(" "):
            return line.strip()
    return "see the log"


# -- Preparing --------------------------------------------------------------------------------
def prepare_environment(run: JobRun) -> dict[str, Any]:
    """Build (or reuse) the environment's image; what the job's process may import."""
    job = run.job
    if not job.environment:
        return {}
    from sandbox import environments

    try:
        record = environments.resolve(run.ws, job.environment)
        result = environments.build(run.ws, record)
    except NotFound as exc:
        raise JobFailed("EnvironmentNotFound", exc.message) from None
    except SandboxError as exc:
        raise JobFailed("ImageBuildFailure", exc.message) from None
    build_log = run.folder / "logs" / "azureml" / "image_build.log"
    build_log.parent.mkdir(parents=True, exist_ok=True)
    build_log.write_text("\n".join(result.log) + "\n", encoding="utf-8")
    if not result.ok:
        raise JobFailed("ImageBuildFailure", result.error or "The environment image could not be built.")
    return {"allowed": environments.allowed_distributions(run.ws, record), "image": result.image}


def blocked_modules(allowed: set[str]) -> list[str]:
    """Top-level modules the job may not import: those of installed distributions its environment lacks."""
    from importlib.metadata import packages_distributions

    def norm(n: str) -> str:
        return n.lower().replace("_", "-").replace(".", "-")

    allowed_norm = {norm(a) for a in allowed}
    blocked = []
    for module, dists in packages_distributions().items():
        if module.startswith("_") or module in ("sandbox", "course", "labs", "quizzes"):
            continue
        if not any(norm(d) in allowed_norm for d in dists):
            blocked.append(module)
    return sorted(blocked)


# -- Queued -----------------------------------------------------------------------------------
def acquire_compute(run: JobRun) -> Any:
    """A node on the job's compute (None for local/serverless); waits in Queued while the cluster is full."""
    target = run.job.compute
    if not target or target in ("local",):
        return None
    from sandbox import compute

    try:
        allocation = compute.try_acquire(run.ws, target, run.name)
        if allocation is None:
            run.set_status("Queued")
            while allocation is None:
                if run.cancel_requested():
                    compute.leave_queue(run.ws, target, run.name)
                    raise JobCanceled()
                time.sleep(POLL * 2)
                allocation = compute.try_acquire(run.ws, target, run.name)
    except NotFound as exc:
        raise JobFailed("ComputeNotFound", exc.message) from None
    except SandboxError as exc:
        raise JobFailed("ComputeUnavailable", exc.message) from None
    return allocation


# -- Running ----------------------------------------------------------------------------------
def job_environment(run: JobRun, env_info: dict[str, Any], mounted: inputs.Mounted) -> dict[str, str]:
    """The process environment of the job: the run context Azure gives a job, and the job hook."""
    ws, job = run.ws, run.job
    env = activation.child_env(workspace=ws.root)
    env.update({str(k): str(v) for k, v in job.spec.environment_variables.items()})
    env.update({
        "AZUREML_RUN_ID": job.name,
        "AZUREML_EXPERIMENT_NAME": job.experiment,
        "AZUREML_ARM_SUBSCRIPTION": ws.subscription_id,
        "AZUREML_ARM_RESOURCEGROUP": ws.resource_group,
        "AZUREML_ARM_WORKSPACE_NAME": ws.name,
        "MLFLOW_TRACKING_URI": tracking.tracking_uri(ws),
        "MLFLOW_RUN_ID": job.name,
        "MLFLOW_EXPERIMENT_ID": job.experiment_id,
        "MLFLOW_EXPERIMENT_NAME": job.experiment,
        "DP100_INPUTS": json.dumps(mounted.env),
        "PYTHONUNBUFFERED": "1",
    })
    env.update(mounted.variables)
    if env_info.get("allowed") is not None:
        blocked_file = run.folder / "blocked_modules.json"
        blocked_file.write_text(json.dumps(blocked_modules(env_info["allowed"])))
        env["DP100_BLOCKED_MODULES"] = str(blocked_file)
    return env


def prepare_workdir(run: JobRun) -> Path:
    workdir = run.folder / "wd"
    snapshot = run.folder / "snapshot"
    if snapshot.exists():
        shutil.copytree(snapshot, workdir, dirs_exist_ok=True)
    workdir.mkdir(parents=True, exist_ok=True)
    (workdir / "outputs").mkdir(exist_ok=True)
    (workdir / "logs").mkdir(exist_ok=True)
    return workdir


@dataclass(frozen=True)
class JobIdentity:
    """Whom a job acts as: `acting` for SDK calls inside it, `data` for its inputs and outputs."""

    acting: str                     # object id: the submitter (user identity / AML token)
    managed: tuple[str, ...]        # the compute's managed identities (what ManagedIdentityCredential gets)
    data: str                       # object id whose roles decide access to identity-based datastores


def job_identity(run: JobRun) -> JobIdentity:
    from sandbox import compute
    from sandbox.security import principals

    submitter = run.job.submitter or principals.learner(run.ws).object_id
    managed = tuple(compute.identities(run.ws, run.job.compute or ""))
    if run.job.identity == "managed":
        if not managed:
            raise JobFailed("UserError", f"The job asks for identity=ManagedIdentityConfiguration(), but compute "
                            f"{run.job.compute!r} has no managed identity. Give the cluster one "
                            "(identity=IdentityConfiguration(type='system_assigned')) or use UserIdentityConfiguration().")
        data = managed[0]
    elif run.job.identity == "user_identity":
        data = submitter
    else:  # Azure's default: the compute's managed identity when it has one, else the user
        data = managed[0] if managed else submitter
    return JobIdentity(submitter, managed, data)


def check_input_access(run: JobRun, who: JobIdentity) -> None:
    """Identity-based datastores behind the job's inputs and outputs must be readable (writable) by the job."""
    from sandbox import datastores, uris
    from sandbox.security import access, principals

    principal = principals.get(run.ws, who.data)
    spec = run.job.spec
    wanted: list[tuple[str, bool]] = []
    for item in spec.inputs.values():
        uri = getattr(item, "path", None) or getattr(item, "uri", None)
        if uri:
            wanted.append((uri, False))
    for name in spec.outputs:
        wanted.append((inputs.output_uri(run.name, name, spec), True))
    for uri, write in wanted:
        store = uris.datastore_of(run.ws, uri)
        if store is None or datastores.get(run.ws, store).credential_type != datastores.IDENTITY_BASED:
            continue
        action = datastores.BLOB_WRITE if write else datastores.BLOB_READ
        if not access.permitted(run.ws, principal, action, data=True):
            raise JobFailed("AuthorizationFailed", (
                f"The job's identity '{principal.display}' ({principal.kind}) does not have authorization to perform "
                f"data action '{action}' on datastore '{store}' (identity-based: no stored credential). Give that "
                f"identity the 'Storage Blob Data {'Contributor' if write else 'Reader'}' role, or run the job with "
                "another identity."))


def run_process(run: JobRun, env_info: dict[str, Any]) -> Any:
    """Run the learner's program; its exit code, or "cancelled" / "timeout"."""
    workdir = prepare_workdir(run)
    who = job_identity(run)
    check_input_access(run, who)
    mounted = inputs.materialise(run.ws, run.job, run.folder / "inputs")
    argv = inputs.command_line(run.job, mounted)
    env = job_environment(run, env_info, mounted)
    env["DP100_JOB_PRINCIPAL"] = who.acting
    if who.managed:
        env["DP100_JOB_MANAGED_IDENTITY"] = ",".join(who.managed)
    timeout = timeout_of(run)
    log = records.log_path(run.ws, run.name)
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "ab") as out:
        proc = subprocess.Popen(argv, cwd=workdir, env=env, stdin=subprocess.DEVNULL, stdout=out,
                                stderr=subprocess.STDOUT, start_new_session=True,
                                shell=isinstance(argv, str), executable="/bin/bash" if isinstance(argv, str) else None)
        run.record_process(processes.identity(proc.pid))
        run.set_status("Running")
        started = time.monotonic()
        while True:
            try:
                return proc.wait(timeout=POLL)
            except subprocess.TimeoutExpired:
                pass
            if run.cancel_requested():
                _kill(proc)
                return "cancelled"
            if time.monotonic() - started > timeout:
                _kill(proc)
                out.write(f"\n[dp100 sandbox] stopped after {timeout:.0f} s (time limit)\n".encode())
                return "timeout"


def _kill(proc: subprocess.Popen) -> None:
    processes.stop_group(proc.pid)
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        pass


# -- Finalizing -------------------------------------------------------------------------------
def finalize(run: JobRun) -> None:
    """outputs/ and logs/ of the working directory, and the user log, become the run's artifacts."""
    job = run.job
    artifacts = tracking.run_artifacts(run.ws, job.experiment_id, job.name)
    for sub in ("outputs", "logs"):
        source = run.folder / "wd" / sub
        if source.is_dir() and any(source.iterdir()):
            shutil.copytree(source, artifacts / sub, dirs_exist_ok=True, symlinks=True)
    log = records.log_path(run.ws, job.name)
    if log.exists():
        (artifacts / "user_logs").mkdir(parents=True, exist_ok=True)
        shutil.copyfile(log, artifacts / "user_logs" / "std_log.txt")
