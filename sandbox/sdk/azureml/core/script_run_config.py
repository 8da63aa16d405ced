"""v1 `ScriptRunConfig`: what to run (folder, script, arguments) and where (compute, environment)."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from azureml.exceptions import UserErrorException
from sandbox import jobs as _jobs
from sandbox import snapshots


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
        argv: list[Any] = [self.script] if self.script else []
        inputs: dict[str, Any] = {}
        for arg in self.arguments:
            argv.append(_argument(arg, inputs))
        command = self.command
        if command:
            argv = [] if not isinstance(command, list) else list(command)
        target = self.run_config.target
        compute = getattr(target, "name", target) or "local"
        environment = _jobs.environment_ref(self.run_config.environment, ws)
        run_id = _jobs.new_run_id(experiment.name)
        spec = {"argv": argv, "inputs": inputs, "script": self.script, "arguments": [str(a) for a in self.arguments],
                "timeout": self.max_run_duration_seconds if self.max_run_duration_seconds != 2592000 else None}
        if command and not isinstance(command, list):
            spec = {**spec, "command": command}
            spec.pop("argv")
        _jobs.create(ws, name=run_id, experiment=experiment.name, kind="script", sdk="v1", spec=spec,
                     tags={k: str(v) for k, v in tags.items()}, compute=compute, environment=environment)
        snapshots.take(source, _jobs.job_dir(ws, run_id) / "snapshot")
        _jobs.start_supervisor(ws, run_id)
        return ScriptRun(experiment, run_id)


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
        inputs[arg.name] = {"kind": "dataset", "id": dataset_id, "mode": arg.mode,
                            "path_on_compute": arg.path_on_compute}
        return {"input": arg.name}
    if isinstance(arg, DataReference):
        name = arg.data_reference_name
        inputs[name] = {"kind": "datastore_path", "uri": arg.to_uri(), "mode": arg.mode}
        return {"input": name}
    return str(arg)
