"""`ml_client.jobs`: submit, follow, list, download and cancel jobs."""
from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any, Iterator

from azure.ai.ml._inputs import Input, Output
from azure.ai.ml._sandbox import environment_ref, translated
from azure.ai.ml.entities._job import Command, Job
from azure.ai.ml.exceptions import ValidationException
from azure.ai.ml.operations._base import Operations
from sandbox import data as _data
from sandbox import jobs as _jobs
from sandbox import runs as _runs
from sandbox import uris
from sandbox.errors import InvalidInput
from sandbox.jobs import inputs as _inputs
from sandbox.jobs import specs as _specs


class JobOperations(Operations):
    # job entity type -> the method that submits it; later job types (pipeline, sweep, automl) add theirs
    SUBMITTERS: dict[type, str] = {Command: "_submit_command"}

    @translated
    def create_or_update(self, job: Job, *, description: str | None = None, compute: str | None = None,
                         tags: dict | None = None, experiment_name: str | None = None, **kwargs: Any) -> Job:
        for kind in type(job).__mro__:
            method = self.SUBMITTERS.get(kind)
            if method is not None:
                name = getattr(self, method)(job, description=description, compute=compute, tags=tags,
                                             experiment_name=experiment_name)
                return self.get(name)
        supported = ", ".join(t.__name__ for t in self.SUBMITTERS)
        raise ValidationException(f"jobs.create_or_update cannot submit a {type(job).__name__}; it takes a job "
                                  f"such as command(...) ({supported}).")

    def _submission(self, job: Job, kind: str, *, description: str | None, compute: Any, tags: dict | None,
                    experiment_name: str | None, environment: str | None = None,
                    parent: str | None = None) -> _jobs.Submission:
        experiment = experiment_name or job.experiment_name or _jobs.experiment_from_folder(Path.cwd().name)
        target = compute or job.compute
        target = getattr(target, "name", target)
        if isinstance(target, str) and target.startswith("azureml:"):
            target = target[len("azureml:"):]
        return _jobs.Submission(
            name=job.name or _jobs.new_job_name(), experiment=experiment, kind=kind, sdk="v2",
            display_name=job.display_name, description=description or job.description,
            tags={**(job.tags or {}), **(tags or {})}, properties=dict(job.properties or {}),
            compute=target or "serverless", environment=environment, parent=parent)

    def _command_spec(self, job: Command) -> _specs.CommandSpec:
        if not job.command:
            raise ValidationException("A command job needs command=..., e.g. command='python train.py'.")
        spec_inputs = {k: _input_spec(self._ws, k, v) for k, v in job.inputs.items()}
        spec_outputs = {k: _output_spec(k, v) for k, v in job.outputs.items()}
        _inputs.check_bindings(job.command, spec_inputs, spec_outputs)
        timeout = getattr(job.limits, "timeout", None) if job.limits is not None else None
        return _specs.CommandSpec(command=job.command, inputs=spec_inputs, outputs=spec_outputs,
                                  environment_variables={str(k): str(v) for k, v in job.environment_variables.items()},
                                  timeout=timeout, code=str(job.code) if job.code else None)

    def _submit_command(self, job: Command, **options: Any) -> str:
        spec = self._command_spec(job)
        submission = self._submission(job, "command", environment=environment_ref(job.environment, self._ws),
                                      **options)
        if submission.compute not in (None, "serverless", "local"):
            from sandbox import compute as _compute

            _compute.get(self._ws, submission.compute)  # Azure refuses a job for a compute that does not exist
        submission.identity = _identity_kind(job.identity)
        return _jobs.submit(self._ws, submission, spec, code=job.code).name

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
        outputs = _runs.named_outputs(ws, name)
        if output_name is not None and output_name not in outputs and output_name != "default":
            raise ValidationException(f"The job has no output named {output_name!r}. Its outputs: "
                                      f"{', '.join(outputs) or 'none'}.")
        if output_name in (None, "default") or all:
            root = _runs.artifacts_dir(ws, name)
            if root.exists():
                shutil.copytree(root, target / "artifacts", dirs_exist_ok=True)
        for out, uri in outputs.items():
            if all or out == output_name:
                local = uris.resolve(ws, uri)
                if local.is_dir():
                    shutil.copytree(local, target / "named-outputs" / out, dirs_exist_ok=True)
                elif local.exists():
                    (target / "named-outputs" / out).mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(local, target / "named-outputs" / out / local.name)

    def show_services(self, name: str, node_index: int = 0) -> dict[str, Any]:
        return {}

    def archive(self, name: str) -> None:
        return None


def _identity_kind(identity: Any) -> str | None:
    """command(identity=...): UserIdentityConfiguration, ManagedIdentityConfiguration or AmlTokenConfiguration."""
    if identity is None:
        return None
    kind = getattr(identity, "type", None)
    if kind in ("user_identity", "managed_identity", "aml_token", "managed"):
        return "managed" if kind in ("managed_identity", "managed") else kind
    raise ValidationException("identity= takes UserIdentityConfiguration(), ManagedIdentityConfiguration() or "
                              f"AmlTokenConfiguration(); got {type(identity).__name__}.")


def _input_spec(ws: Any, name: str, value: Any) -> Any:
    if isinstance(value, Input):
        if value.type in ("string", "integer", "number", "boolean"):
            return _specs.LiteralInput(value=value.default, type=value.type)
        if not value.path:
            raise InvalidInput(f"Input {name!r} has no path. Give Input(type=..., path=...).")
        path = str(value.path)
        parsed = uris.parse(path, ws)
        if isinstance(parsed, uris.LocalPath):
            local = parsed.path
            if not local.exists():
                raise InvalidInput(f"Input {name!r}: the local path {path!r} does not exist.")
            path = _data.upload_local(ws, local)
        return _specs.DataInput(type=value.type or "uri_folder", path=path, mode=value.mode or "ro_mount")
    if isinstance(value, (str, int, float, bool)) or value is None:
        return _specs.LiteralInput(value=value)
    raise InvalidInput(f"Input {name!r} must be an Input(...) or a literal (str, int, float, bool); got {type(value).__name__}.")


def _output_spec(name: str, value: Any) -> _specs.JobOutput:
    if isinstance(value, Output):
        return _specs.JobOutput(type=value.type or "uri_folder", path=value.path, mode=value.mode or "rw_mount")
    if value is None:
        return _specs.JobOutput()
    raise InvalidInput(f"Output {name!r} must be an Output(...).")


def _to_entity(ws: Any, record: _jobs.JobRecord) -> Job:
    builder = ENTITY_BUILDERS.get(record.spec.kind, _command_entity)
    job = builder(ws, record)
    from azure.ai.ml.entities._resource import SystemData

    job.status = record.status
    job.studio_url = _runs.studio_url(ws, record.name)
    job.id = f"{ws.arm_id}/jobs/{record.name}"
    job.creation_context = SystemData(record.created)
    return job


def _command_entity(ws: Any, record: _jobs.JobRecord) -> Command:
    spec = record.spec
    if not isinstance(spec, _specs.CommandSpec):  # e.g. a v1 interactive run seen through v2
        spec = _specs.CommandSpec()
    inputs: dict[str, Any] = {}
    for k, v in spec.inputs.items():
        if isinstance(v, _specs.LiteralInput):
            inputs[k] = v.value
        elif isinstance(v, _specs.DataInput):
            inputs[k] = Input(type=v.type, path=v.path, mode=v.mode)
        else:
            inputs[k] = Input(type="uri_folder", path=getattr(v, "uri", None) or getattr(v, "id", None))
    outputs = {k: Output(type=v.type, path=_inputs.output_uri(record.name, k, spec)) for k, v in spec.outputs.items()}
    return Command(name=record.name, display_name=record.display_name, description=record.description,
                   tags=record.tags, properties=record.properties, experiment_name=record.experiment,
                   compute=record.compute, command=spec.command, code=spec.code, inputs=inputs, outputs=outputs,
                   environment=record.environment, environment_variables=dict(spec.environment_variables))


# spec kind -> the entity jobs.get returns for it; later job kinds add theirs
ENTITY_BUILDERS: dict[str, Any] = {"command": _command_entity}
