"""v1 `ScriptRunConfig`: what to run (folder, script, arguments) and where (compute, environment)."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from azureml.exceptions import UserErrorException
from sandbox import jobs as _jobs
from sandbox.jobs import specs as _specs


class ScriptRunConfig:
    def __init__(self, source_directory: str = ".", script: str | None = None, arguments: list | None = None,
                 run_config: Any = None, _telemetry_values: Any = None, compute_target: Any = None,
                 environment: Any = None, distributed_job_config: Any = None, resume_from: Any = None,
                 max_run_duration_seconds: int | None = 2592000, command: Any = None,
                 docker_runtime_config: Any = None) -> None:
        from azureml.core.runconfig import RunConfiguration

        self.source_directory = source_directory
        self.script = script
        self.arguments = list(arguments or [])
        self.run_config = run_config or RunConfiguration()
        if compute_target is not None:
            self.run_config.target = compute_target
        if environment is not None:
            self.run_config.environment = environment
        self.max_run_duration_seconds = max_run_duration_seconds
        self.command = command

    def _dp100_submit(self, experiment: Any, tags: dict, **kwargs: Any) -> Any:
        from azureml._sandbox import environment_ref
        from azureml.core.run import ScriptRun

        ws = experiment.workspace._engine
        source = Path(self.source_directory or ".")
        if not self.script and not self.command:
            raise UserErrorException("ScriptRunConfig needs script= (the file to run inside source_directory).")
        if self.script and not (source / self.script).is_file():
            raise UserErrorException(
                f"The script {self.script!r} was not found in source_directory {str(source.resolve())!r}. Scripts are "
                "looked up relative to source_directory."
            )
        inputs: dict[str, Any] = {}
        argv: list[Any] = [self.script] if self.script else []
        argv += [_argument(arg, inputs) for arg in self.arguments]
        command = self.command
        shell = None
        if command:
            if isinstance(command, list):
                argv = [str(c) for c in command]
            else:
                shell, argv = str(command), None
        target = self.run_config.target
        timeout = self.max_run_duration_seconds if self.max_run_duration_seconds != 2592000 else None
        spec = _specs.CommandSpec(command=shell, argv=argv, inputs=inputs, timeout=timeout, script=self.script,
                                  arguments=[str(a) for a in self.arguments],
                                  environment_variables={str(k): str(v) for k, v in
                                                         (self.run_config.environment_variables or {}).items()})
        submission = _jobs.Submission(
            name=_jobs.new_run_id(experiment.name), experiment=experiment.name, kind="script", sdk="v1",
            tags={k: str(v) for k, v in tags.items()}, compute=getattr(target, "name", target) or "local",
            environment=environment_ref(self.run_config.environment, ws))
        record = _jobs.submit(ws, submission, spec, code=source)
        return ScriptRun(experiment, record.name)


def _argument(arg: Any, inputs: dict[str, Any]) -> Any:
    from azureml.data.abstract_dataset import AbstractDataset
    from azureml.data.data_reference import DataReference
    from azureml.data.dataset_consumption_config import DatasetConsumptionConfig
    from sandbox import datasets as _datasets

    if isinstance(arg, AbstractDataset):
        arg = arg.as_named_input(arg.name.replace(" ", "_") if arg.name else "input")
    if isinstance(arg, DatasetConsumptionConfig):
        dataset = arg.dataset
        dataset_id = dataset.id or _datasets.save(dataset._ws, dataset._definition)
        inputs[arg.name] = _specs.DatasetInput(id=dataset_id, mode=arg.mode or "direct",
                                               path_on_compute=arg.path_on_compute)
        return _specs.InputRef(input=arg.name)
    if isinstance(arg, DataReference):
        name = arg.data_reference_name
        inputs[name] = _specs.DatastorePathInput(uri=arg.to_uri(), mode=arg.mode)
        return _specs.InputRef(input=name)
    return str(arg)
