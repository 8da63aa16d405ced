"""The job supervisor: `python -m sandbox.runner <workspace> <job>`.

Moves one job through Azure's states — Starting, Preparing (environment image), Queued (waiting for a node),
Running (the learner's process, in its own process group, output streamed to user_logs/std_log.txt), Finalizing
(outputs become artifacts) — and ends it Completed, Failed or Canceled. It never lets an error escape: whatever
goes wrong is recorded on the job, with the log tail.
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import traceback
from pathlib import Path
from typing import Any

from sandbox import jobs, tracking
from sandbox.workspace import Workspace

DEFAULT_TIMEOUT = 3600.0
POLL = 0.05


class JobFailed(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def main(argv: list[str]) -> int:
    ws = Workspace.open(Path(argv[0]))
    name = argv[1]
    allocation = None
    compute_mod = None
    try:
        job = jobs.get(ws, name)
        jobs.set_status(ws, name, "Starting")
        if _cancelled(ws, name):
            return _finish_cancel(ws, name)
        jobs.set_status(ws, name, "Preparing")
        env_info = _prepare_environment(ws, job)
        if _cancelled(ws, name):
            return _finish_cancel(ws, name)
        allocation, compute_mod = _acquire_compute(ws, job)
        if allocation == "cancelled":
            return _finish_cancel(ws, name)
        code = _run(ws, job, env_info)
        if code == "cancelled":
            _finalize(ws, job)
            return _finish_cancel(ws, name)
        if code == "timeout":
            _finalize(ws, job)
            raise JobFailed("JobTimeout", f"The job exceeded its time limit of {job.spec.get('timeout') or DEFAULT_TIMEOUT:.0f} s "
                            "and was stopped. Make the script faster or raise the timeout.")
        jobs.set_status(ws, name, "Finalizing")
        _finalize(ws, job)
        if code != 0:
            tail = _log_tail(ws, name)
            raise JobFailed("UserError", f"Execution failed. User process 'python' exited with status code {code}. "
                            f"Please check log file 'user_logs/std_log.txt' for error details. Error: {_last_error(tail)}")
        jobs.set_status(ws, name, "Completed")
        return 0
    except JobFailed as failure:
        _fail(ws, name, failure.code, failure.message)
        return 1
    except Exception as exc:  # the sandbox itself must never leave a job hanging
        _append_log(ws, name, "\n[dp100 sandbox] internal error:\n" + traceback.format_exc())
        _fail(ws, name, "SandboxError", f"The sandbox could not run this job: {exc}")
        return 1
    finally:
        if allocation not in (None, "cancelled") and compute_mod is not None:
            try:
                compute_mod.release(ws, allocation)
            except Exception:
                pass


def _fail(ws: Workspace, name: str, code: str, message: str) -> None:
    jobs.set_status(ws, name, "Failed", {"code": code, "message": message, "log_tail": _log_tail(ws, name)})


def _cancelled(ws: Workspace, name: str) -> bool:
    return jobs.get(ws, name).cancel_requested


def _finish_cancel(ws: Workspace, name: str) -> int:
    jobs.set_status(ws, name, "Canceled")
    return 0


def _append_log(ws: Workspace, name: str, text: str) -> None:
    path = jobs.log_path(ws, name)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(text)


def _log_tail(ws: Workspace, name: str, lines: int = 20) -> str:
    path = jobs.log_path(ws, name)
    if not path.exists():
        return ""
    return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])


def _last_error(tail: str) -> str:
    for line in reversed(tail.splitlines()):
        if line.strip() and not line.startswith(" "):
            return line.strip()
    return "see the log"


# -- Preparing --------------------------------------------------------------------------------
def _prepare_environment(ws: Workspace, job: jobs.JobRecord) -> dict[str, Any]:
    if not job.environment:
        return {}
    try:
        from sandbox import environments
    except ImportError:
        return {}
    from sandbox.errors import SandboxError

    try:
        record = environments.resolve(ws, job.environment)
        result = environments.build(ws, record)
    except SandboxError as exc:
        raise JobFailed("EnvironmentNotFound" if "not found" in str(exc).lower() else "ImageBuildFailure", str(exc)) from None
    build_log = jobs.job_dir(ws, job.name) / "logs" / "azureml" / "image_build.log"
    build_log.write_text("\n".join(result.log) + "\n", encoding="utf-8")
    if not result.ok:
        raise JobFailed("ImageBuildFailure", result.error or "The environment image could not be built.")
    allowed = environments.allowed_distributions(ws, record)
    return {"allowed": allowed, "image": result.image}


def _blocked_modules(allowed: set[str]) -> list[str]:
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
def _acquire_compute(ws: Workspace, job: jobs.JobRecord) -> tuple[Any, Any]:
    target = job.compute
    if not target or target in ("local",):
        return None, None
    try:
        from sandbox import compute
    except ImportError:
        return None, None
    from sandbox.errors import SandboxError

    try:
        allocation = compute.try_acquire(ws, target, job.name)
        if allocation is None:
            jobs.set_status(ws, job.name, "Queued")
            while allocation is None:
                if _cancelled(ws, job.name):
                    return "cancelled", None
                time.sleep(POLL * 2)
                allocation = compute.try_acquire(ws, target, job.name)
    except SandboxError as exc:
        raise JobFailed("ComputeNotFound" if "not found" in str(exc).lower() else "ComputeUnavailable", str(exc)) from None
    return allocation, compute


# -- Running ----------------------------------------------------------------------------------
def _run(ws: Workspace, job: jobs.JobRecord, env_info: dict[str, Any]) -> Any:
    from sandbox import activation, inputs

    folder = jobs.job_dir(ws, job.name)
    workdir = folder / "wd"
    snapshot = folder / "snapshot"
    if snapshot.exists():
        shutil.copytree(snapshot, workdir, dirs_exist_ok=True)
    workdir.mkdir(parents=True, exist_ok=True)
    (workdir / "outputs").mkdir(exist_ok=True)
    (workdir / "logs").mkdir(exist_ok=True)
    mounted = inputs.materialise(ws, job, folder / "inputs")
    argv = inputs.command_line(job, mounted)
    env = activation.child_env(workspace=ws.root)
    env.update({str(k): str(v) for k, v in (job.spec.get("environment_variables") or {}).items()})
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
        "DP100_INPUTS": json.dumps(mounted["env"]),
        "PYTHONUNBUFFERED": "1",
    })
    for key, value in mounted["vars"].items():
        env[key] = value
    if env_info.get("allowed") is not None:
        blocked_file = folder / "blocked_modules.json"
        blocked_file.write_text(json.dumps(_blocked_modules(env_info["allowed"])))
        env["DP100_BLOCKED_MODULES"] = str(blocked_file)
    hook = str(Path(__file__).resolve().parent / "jobhook")
    env["PYTHONPATH"] = os.pathsep.join([hook, env["PYTHONPATH"]])
    timeout = float(job.spec.get("timeout") or DEFAULT_TIMEOUT)
    log = jobs.log_path(ws, job.name)
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "ab") as out:
        proc = subprocess.Popen(argv, cwd=workdir, env=env, stdin=subprocess.DEVNULL, stdout=out,
                                stderr=subprocess.STDOUT, start_new_session=True,
                                shell=isinstance(argv, str), executable="/bin/bash" if isinstance(argv, str) else None)
        jobs.set_status(ws, job.name, "Running")
        started = time.monotonic()
        while True:
            try:
                return proc.wait(timeout=POLL)
            except subprocess.TimeoutExpired:
                pass
            if _cancelled(ws, job.name):
                _kill(proc)
                return "cancelled"
            if time.monotonic() - started > timeout:
                _kill(proc)
                out.write(f"\n[dp100 sandbox] stopped after {timeout:.0f} s (time limit)\n".encode())
                return "timeout"


def _kill(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=3)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=5)
    except ProcessLookupError:
        pass


# -- Finalizing -------------------------------------------------------------------------------
def _finalize(ws: Workspace, job: jobs.JobRecord) -> None:
    """outputs/ and logs/ of the working directory, and the user log, become the run's artifacts."""
    folder = jobs.job_dir(ws, job.name)
    artifacts = tracking.run_artifacts(ws, job.experiment_id, job.name)
    for sub in ("outputs", "logs"):
        source = folder / "wd" / sub
        if source.is_dir() and any(source.iterdir()):
            shutil.copytree(source, artifacts / sub, dirs_exist_ok=True)
    log = jobs.log_path(ws, job.name)
    if log.exists():
        (artifacts / "user_logs").mkdir(parents=True, exist_ok=True)
        shutil.copyfile(log, artifacts / "user_logs" / "std_log.txt")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
