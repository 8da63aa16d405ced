"""The job supervisor: one process per job, started by the launcher (or `python -m sandbox.jobs.supervisor`).

It records itself on the job, hands the job to the executor for its kind, and ends the job Completed, Failed or
Canceled. It never lets an error escape: whatever goes wrong is recorded on the job, with the log tail.
"""
from __future__ import annotations

import sys
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sandbox import processes
from sandbox.errors import SandboxError
from sandbox.jobs import records
from sandbox.workspace import Workspace


class JobFailed(Exception):
    """Ends the job Failed with Azure's error `code` and a message for the learner."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class JobCanceled(Exception):
    """Ends the job Canceled (a cancel request was seen)."""


@dataclass
class JobRun:
    """What an executor gets: the workspace, the job, and the moves a supervisor makes."""

    ws: Workspace
    job: records.JobRecord

    @property
    def name(self) -> str:
        return self.job.name

    @property
    def folder(self) -> Path:
        return records.job_dir(self.ws, self.job.name)

    def set_status(self, status: str) -> None:
        records.set_status(self.ws, self.job.name, status)

    def cancel_requested(self) -> bool:
        return records.get(self.ws, self.job.name).cancel_requested

    def check_cancel(self) -> None:
        if self.cancel_requested():
            raise JobCanceled()

    def log(self, text: str) -> None:
        records._append_log(self.ws, self.job.name, text)

    def log_tail(self, lines: int = 20) -> str:
        path = records.log_path(self.ws, self.job.name)
        if not path.exists():
            return ""
        return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])

    def record_process(self, proc: processes.ProcessId) -> None:
        records.update(self.ws, self.job.name, process=proc)


def warm_up() -> None:
    """Import what supervisors need, so a launcher's forked children start with it loaded."""
    import shutil  # noqa: F401
    import subprocess  # noqa: F401

    from sandbox import compute, environments, tracking  # noqa: F401
    from sandbox.jobs import executors, inputs  # noqa: F401

    executors.executor("command")


def main(argv: list[str]) -> int:
    ws = Workspace.open(Path(argv[0]))
    name = argv[1]
    records.update(ws, name, supervisor=processes.identity())
    run = JobRun(ws, records.get(ws, name))
    try:
        run.set_status("Starting")
        run.check_cancel()
        from sandbox.jobs import executors

        executors.executor(run.job.spec.kind).execute(run)
        run.set_status("Completed")
        return 0
    except JobCanceled:
        run.set_status("Canceled")
        return 0
    except JobFailed as failure:
        fail(run, failure.code, failure.message)
        return 1
    except SandboxError as exc:
        fail(run, exc.code, exc.message)
        return 1
    except Exception as exc:  # the sandbox itself must never leave a job hanging
        run.log("\n[dp100 sandbox] internal error:\n" + traceback.format_exc())
        fail(run, "SandboxError", f"The sandbox could not run this job: {exc}")
        return 1


def fail(run: JobRun, code: str, message: str, **extra: Any) -> None:
    records.set_status(run.ws, run.name, "Failed", {"code": code, "message": message, "log_tail": run.log_tail(),
                                                    **extra})


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
