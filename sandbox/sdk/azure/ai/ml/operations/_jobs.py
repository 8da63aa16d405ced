"""`ml_client.jobs`: submit, follow, list, download and cancel jobs."""
from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any, Iterator

from azure.ai.ml._inputs import Input, Output
from azure.ai.ml._sandbox import translated
from azure.ai.ml.entities._job import Command, Job
from azure.ai.ml.exceptions import ValidationException
from azure.ai.ml.operations._base import Operations
from sandbox import data as _data
from sandbox import inputs as _inputs
from sandbox import jobs as _jobs
from sandbox import runs as _runs
from sandbox import snapshots, uris
from sandbox.errors import InvalidInput


class JobOperations(Operations):
    @translated
    def create_or_update(self, job: Job, *, description: str | None = None, compute: str | None = None,
                         tags: dict | None = None, experiment_name: str | None = None, **kwargs: Any) -> Job:
        if not isinstance(job, Command):
            raise ValidationException(f"jobs.create_or_update expects a job such as command(...); got {type(job).__name__}.")
        ws = self._ws
        if not job.command:
            raise ValidationException("A command job needs command=..., e.g. command='python train.py'.")
        name = job.name or _jobs.new_job_name()
        experiment = experiment_name or job.experiment_name or Path.cwd().name
        experiment = _safe_experiment(experiment)
        spec_inputs = {k: _input_spec(ws, k, v) for k, v in job.inputs.items()}
        spec_outputs = {k: _output_spec(k, v) for k, v in job.outputs.items()}
        _inputs.check_bindings(job.command, spec_inputs, spec_outputs)
        timeout = getattr(job.limits, "timeout", None) if job.limits is not None else None
        spec = {"command": job.command, "inputs": spec_inputs, "outputs": spec_outputs,
                "environment_variables": job.environment_variables, "timeout": timeout,
                "code": str(job.code) if job.code else None}
        environment = _jobs.environment_ref(job.environment, ws)
        target = compute or job.compute
        target = getattr(target, "name", target)
        _jobs.create(ws, name=name, experiment=experiment, kind="command", sdk="v2", spec=spec,
                     display_name=job.display_name, description=description or job.description,
                     tags={**job.tags, **(tags or {})}, properties=job.properties, compute=target or "serverless",
                     environment=environment)
        if job.code:
            code = Path(str(job.code))
            if not code.exists():
                raise InvalidInput(f"code={str(job.code)!r} does not exist; point it at the folder with your script.")
            if code.is_file():
                (_jobs.job_dir(ws, name) / "snapshot").mkdir(parents=True, exist_ok=True)
                shutil.copyfile(code, _jobs.job_dir(ws, name) / "snapshot" / code.name)
            else:
                snapshots.take(code, _jobs.job_dir(ws, name) / "snapshot")
        _jobs.start_supervisor(ws, name)
        return self.get(name)

    @translated
    def get(self, name: str) -> Job:
        return _to_entity(self._ws, _jobs.get(self._ws, name))

    @translated
    def list(self, *, parent_job_name: str | None = None, list_view_type: Any = None, **kwargs: Any) -> Iterator[Job]:
        records = _jobs.list_jobs(self._ws, parent=parent_job_name, top_level_only=parent_job_name is None)
        return iter([_to_entity(self._ws, r) for r in records])

    @translated
    def stream(self, name: str) -> None:
        record = _runs.stream(self._ws, name, lambda line: print(line, flush=True))
        if record.status == "Failed":
            from azure.ai.ml.exceptions import JobException

            raise JobException(
                f"Exception : \n {{\n \"error\": {{\n \"code\": \"{(record.error or {}).get('code')}\",\n"
                f" \"message\": \"{(record.error or {}).get('message')}\"\n }}\n}}"
            )

    @translated
    def begin_cancel(self, name: str, **kwargs: Any) -> Any:
        from azure.ai.ml._poller import CompletedPoller

        _jobs.request_cancel(self._ws, name)
        return CompletedPoller(None, wait=lambda timeout: _jobs.wait(self._ws, name, timeout))

    @translated
    def download(self, name: str, *, download_path: str | os.PathLike = ".", output_name: str | None = None,
                 all: bool = False) -> None:
        ws = self._ws
        record = _jobs.get(ws, name)
        if not record.is_terminal:
            raise ValidationException(
                f"This job is in state {record.status}. Download is allowed only in states Completed, Failed, Canceled."
            )
        target = Path(download_path)
        names = list((record.spec.get("outputs") or {}).keys())
        if output_name is not None and output_name not in names and output_name != "default":
            raise ValidationException(f"The job has no output named {output_name!r}. Its outputs: {', '.join(names) or 'none'}.")
        if output_name in (None, "default") or all:
            root = _runs.artifacts_dir(ws, name)
            if root.exists():
                shutil.copytree(root, target / "artifacts", dirs_exist_ok=True)
        for out in names:
            if all or out == output_name:
                spec = record.spec["outputs"][out]
                local = uris.resolve(ws, spec.get("path") or _inputs.default_output_uri(name, out))
                shutil.copytree(local, target / "named-outputs" / out, dirs_exist_ok=True)

    def show_services(self, name: str, node_index: int = 0) -> dict[str, Any]:
        return {}

    def archive(self, name: str) -> None:
        return None


def _safe_experiment(name: str) -> str:
    import re

    cleaned = re.sub(r"[^\w-]", "_", name).lstrip("_-") or "default"
    return cleaned


def _input_spec(ws: Any, name: str, value: Any) -> dict[str, Any]:
    if isinstance(value, Input):
        if value.type in ("string", "integer", "number", "boolean"):
            return {"kind": "literal", "value": value.default}
        if not value.path:
            raise InvalidInput(f"Input {name!r} has no path. Give Input(type=..., path=...).")
        path = str(value.path)
        parsed = uris.parse(path, ws)
        if isinstance(parsed, uris.LocalPath):
            local = parsed.path
            if not local.exists():
                raise InvalidInput(f"Input {name!r}: the local path {path!r} does not exist.")
            path = _data.upload_local(ws, local)
        return {"kind": "data", "type": value.type, "path": path, "mode": value.mode or "ro_mount"}
    if isinstance(value, (str, int, float, bool)) or value is None:
        return {"kind": "literal", "value": value}
    raise InvalidInput(f"Input {name!r} must be an Input(...) or a literal (str, int, float, bool); got {type(value).__name__}.")


def _output_spec(name: str, value: Any) -> dict[str, Any]:
    if isinstance(value, Output):
        return {"type": value.type, "path": value.path, "mode": value.mode or "rw_mount"}
    if value is None:
        return {"type": "uri_folder", "path": None}
    raise InvalidInput(f"Output {name!r} must be an Output(...).")


def _to_entity(ws: Any, record: _jobs.JobRecord) -> Command:
    from azure.ai.ml.entities._resource import SystemData

    spec = record.spec
    inputs = {}
    for k, v in (spec.get("inputs") or {}).items():
        inputs[k] = v.get("value") if v.get("kind") == "literal" else Input(type=v.get("type", "uri_folder"), path=v.get("path"), mode=v.get("mode"))
    outputs = {k: Output(type=v.get("type", "uri_folder"), path=v.get("path") or _inputs.default_output_uri(record.name, k))
               for k, v in (spec.get("outputs") or {}).items()}
    job = Command(name=record.name, display_name=record.display_name, description=record.description, tags=record.tags,
                  properties=record.properties, experiment_name=record.experiment, compute=record.compute,
                  command=spec.get("command"), code=spec.get("code"), inputs=inputs, outputs=outputs,
                  environment=record.environment, environment_variables=spec.get("environment_variables"))
    job.status = record.status
    job.studio_url = _runs.studio_url(ws, record.name)
    job.id = f"{ws.arm_id}/jobs/{record.name}"
    job.creation_context = SystemData(record.created)
    return job
