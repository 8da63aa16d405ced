"""v1 `Run`: the handle a script uses to log, and the record a notebook inspects."""
from __future__ import annotations

import json
import os
import shutil
import sys
import time
import uuid
from pathlib import Path
from typing import Any

from azureml._sandbox import translate
from azureml.exceptions import ActivityFailedException, UserErrorException
from sandbox import jobs as _jobs
from sandbox import runs as _runs
from sandbox import tracking as _tracking


class Run:
    def __init__(self, experiment: Any, run_id: str, outputs: Any = None, **kwargs: Any) -> None:
        self.experiment = experiment
        self._run_id = run_id
        self._ws = experiment.workspace._engine
        translate()(_jobs.get)(self._ws, run_id)

    # -- context ---------------------------------------------------------------------------------
    @classmethod
    def get_context(cls, allow_offline: bool = True, used_for_context_manager: bool = False, **kwargs: Any) -> "Run":
        run_id = os.environ.get("AZUREML_RUN_ID")
        if run_id:
            from azureml.core.experiment import Experiment
            from azureml.core.workspace import Workspace

            ws = Workspace.get(os.environ["AZUREML_ARM_WORKSPACE_NAME"])
            run = _ScriptRun(Experiment(ws, os.environ["AZUREML_EXPERIMENT_NAME"], _skip_name_validation=True), run_id)
            return run
        if not allow_offline:
            raise UserErrorException("Run.get_context() is offline: this code is not running as a submitted run.")
        return _OfflineRun()

    # -- identity --------------------------------------------------------------------------------
    @property
    def id(self) -> str:
        return self._run_id

    @property
    def name(self) -> str:
        return self._record().display_name or self._run_id

    @property
    def display_name(self) -> str:
        return self._record().display_name or self._run_id

    @display_name.setter
    def display_name(self, value: str) -> None:
        _jobs.update(self._ws, self._run_id, display_name=value)

    @property
    def number(self) -> int:
        return _jobs.seq_of(self._ws, self._run_id)

    @property
    def type(self) -> str:
        return {"script": "azureml.scriptrun", "interactive": "azureml.run"}.get(self._record().kind, "azureml.run")

    @property
    def status(self) -> str:
        return self.get_status()

    @property
    def parent(self) -> "Run | None":
        parent = self._record().parent
        return Run(self.experiment, parent) if parent else None

    @property
    def properties(self) -> dict[str, str]:
        return self.get_properties()

    @property
    def tags(self) -> dict[str, str]:
        return self.get_tags()

    def _record(self) -> _jobs.JobRecord:
        return _jobs.get(self._ws, self._run_id)

    @property
    def input_datasets(self) -> dict[str, Any]:
        raw = json.loads(os.environ.get("DP100_INPUTS", "{}")) if os.environ.get("AZUREML_RUN_ID") == self._run_id else {}
        result: dict[str, Any] = {}
        for name, info in raw.items():
            if info.get("mode") == "direct":
                from azureml.core.dataset import Dataset

                result[name] = Dataset.get_by_id(self.experiment.workspace, info["id"])
            else:
                result[name] = info["path"]
        return result

    # -- logging ---------------------------------------------------------------------------------
    @translate()
    def log(self, name: str, value: Any, description: str = "", step: int | None = None) -> None:
        _runs.check_log_value(name, value)
        value = _runs.plain(value)
        _runs.check_log_value(name, value)
        if _runs.is_number(value):
            _tracking.log_metrics(self._ws, self._run_id, [(name, value, step)])
        else:
            _jobs.add_value(self._ws, self._run_id, name, "scalar", value if isinstance(value, (bool, str)) else str(value))

    @translate()
    def log_list(self, name: str, value: list, description: str = "") -> None:
        value = _runs.plain(value)
        if not isinstance(value, list):
            raise UserErrorException(f"log_list({name!r}, ...) takes a list of values; use run.log for one value.")
        if value and all(_runs.is_number(v) for v in value):
            _tracking.log_metrics(self._ws, self._run_id, [(name, v, None) for v in value])
        else:
            _jobs.add_value(self._ws, self._run_id, name, "list", value)

    @translate()
    def log_row(self, name: str, description: str | None = None, **kwargs: Any) -> None:
        _jobs.add_value(self._ws, self._run_id, name, "row", _runs.plain(kwargs))

    @translate()
    def log_table(self, name: str, value: dict, description: str = "") -> None:
        if not isinstance(value, dict):
            raise UserErrorException("log_table takes a dict of column name -> list of values.")
        _jobs.add_value(self._ws, self._run_id, name, "table", {str(k): _runs.plain(list(v)) for k, v in value.items()})

    @translate()
    def log_image(self, name: str, path: str | None = None, plot: Any = None, description: str = "") -> None:
        if (path is None) == (plot is None):
            raise UserErrorException("log_image needs exactly one of path= or plot=.")
        file_name = f"{name}_{int(time.time() * 1000)}.png"
        target = _runs.artifacts_dir(self._ws, self._run_id) / file_name
        target.parent.mkdir(parents=True, exist_ok=True)
        if path is not None:
            shutil.copyfile(path, target)
        else:
            plot.savefig(target)
        _jobs.add_value(self._ws, self._run_id, name, "image", f"aml://artifactId/ExperimentRun/dcid.{self._run_id}/{file_name}")

    def _log_json(self, name: str, value: Any) -> None:
        _jobs.add_value(self._ws, self._run_id, name, "json", json.loads(value) if isinstance(value, str) else _runs.plain(value))

    def log_confusion_matrix(self, name: str, value: Any, description: str = "") -> None:
        self._log_json(name, value)

    def log_accuracy_table(self, name: str, value: Any, description: str = "") -> None:
        self._log_json(name, value)

    def log_residuals(self, name: str, value: Any, description: str = "") -> None:
        self._log_json(name, value)

    def log_predictions(self, name: str, value: Any, description: str = "") -> None:
        self._log_json(name, value)

    @translate()
    def get_metrics(self, name: str | None = None, recursive: bool = False, run_type: str | None = None,
                    populate: bool = False) -> dict[str, Any]:
        if recursive:
            result = {}
            for child in [self, *self.get_children(recursive=True)]:
                result[child.id] = child.get_metrics(name)
            return result
        values = _runs.metrics(self._ws, self._run_id)
        return {name: values[name]} if name is not None and name in values else ({} if name else values)

    # -- tags and properties ---------------------------------------------------------------------
    def tag(self, key: str, value: str | None = None) -> None:
        self.set_tags({key: "" if value is None else value})

    def set_tags(self, tags: dict[str, Any]) -> None:
        record = self._record()
        _jobs.update(self._ws, self._run_id, tags={**record.tags, **{k: str(v) for k, v in tags.items()}})
        _tracking.set_tags(self._ws, self._run_id, tags)

    def remove_tags(self, tags: list[str]) -> None:
        record = self._record()
        _jobs.update(self._ws, self._run_id, tags={k: v for k, v in record.tags.items() if k not in tags})

    def get_tags(self) -> dict[str, str]:
        return dict(self._record().tags)

    def add_properties(self, properties: dict[str, Any]) -> None:
        record = self._record()
        clash = [k for k in properties if k in record.properties and record.properties[k] != str(properties[k])]
        if clash:
            raise UserErrorException(f"Properties are immutable once set: {', '.join(clash)}. Use tags for values that change.")
        _jobs.update(self._ws, self._run_id, properties={**record.properties, **{k: str(v) for k, v in properties.items()}})

    def get_properties(self) -> dict[str, str]:
        return dict(self._record().properties)

    # -- files -----------------------------------------------------------------------------------
    @translate()
    def upload_file(self, name: str, path_or_stream: Any, datastore_name: str | None = None) -> None:
        if hasattr(path_or_stream, "read"):
            target = _runs.artifacts_dir(self._ws, self._run_id) / name
            target.parent.mkdir(parents=True, exist_ok=True)
            data = path_or_stream.read()
            target.write_bytes(data if isinstance(data, bytes) else data.encode())
            return
        if not Path(path_or_stream).is_file():
            raise UserErrorException(f"upload_file: {path_or_stream!r} is not a file.")
        _runs.upload(self._ws, self._run_id, name, Path(path_or_stream))

    @translate()
    def upload_files(self, names: list[str], paths: list[str], return_artifacts: bool = False, timeout_seconds: Any = None,
                     datastore_name: str | None = None) -> None:
        for name, path in zip(names, paths):
            self.upload_file(name, path)

    @translate()
    def upload_folder(self, name: str, path: str, datastore_name: str | None = None) -> None:
        if not Path(path).is_dir():
            raise UserErrorException(f"upload_folder: {path!r} is not a folder.")
        _runs.upload(self._ws, self._run_id, name, Path(path))

    @translate()
    def get_file_names(self) -> list[str]:
        return _runs.file_names(self._ws, self._run_id)

    @translate()
    def download_file(self, name: str, output_file_path: str | None = None, _validate_checksum: bool = False) -> None:
        source = _runs.file_path(self._ws, self._run_id, name)
        target = Path(output_file_path) if output_file_path else Path(Path(name).name)
        if target.is_dir():
            target = target / Path(name).name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)

    @translate()
    def download_files(self, prefix: str | None = None, output_directory: str | None = None,
                       output_paths: Any = None, batch_size: int = 100, append_prefix: bool = True,
                       timeout_seconds: Any = None) -> None:
        out = Path(output_directory or ".")
        for name in _runs.file_names(self._ws, self._run_id):
            if prefix and not name.startswith(prefix):
                continue
            rel = name if append_prefix or not prefix else name[len(prefix):].lstrip("/")
            target = out / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(_runs.file_path(self._ws, self._run_id, name), target)

    # -- status ----------------------------------------------------------------------------------
    def get_status(self) -> str:
        return self._record().status

    def get_details(self) -> dict[str, Any]:
        return _runs.details(self._ws, self._run_id)

    def get_detailed_status(self) -> dict[str, Any]:
        return {"status": self.get_status(), "details": None}

    def get_environment(self) -> Any:
        """The environment the run used (registered, as Azure registers a run's environment)."""
        from azureml.core.environment import Environment

        ref = self._record().environment
        if not ref:
            raise UserErrorException("This run has no environment (an interactive run, or one without a run "
                                     "configuration environment).")
        from sandbox import environments as _environments

        return Environment._from_record(translate()(_environments.resolve)(self._ws, ref))

    def flush(self, timeout_seconds: int = 300) -> None:
        return None  # logging is written through at once

    @staticmethod
    def get(workspace: Any, run_id: str) -> "Run":
        """The run `run_id` of any experiment in the workspace."""
        from azureml.core.experiment import Experiment

        record = translate()(_jobs.get)(workspace._engine, run_id)
        return Run(Experiment(workspace, record.experiment, _skip_name_validation=True), run_id)

    @staticmethod
    def list(experiment: Any, type: Any = None, tags: Any = None, properties: Any = None, status: Any = None,
             include_children: bool = False, _rehydrate_runs: bool = True) -> Any:
        runs = experiment.get_runs(type=type, tags=tags, properties=properties, include_children=include_children)
        return (r for r in runs if status is None or r.get_status() == status)

    def get_details_with_logs(self) -> dict[str, Any]:
        info = self.get_details()
        log = _jobs.log_path(self._ws, self._run_id)
        info["logFiles"] = {"user_logs/std_log.txt": log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""}
        return info

    def get_all_logs(self, destination: str | None = None) -> list[str]:
        """Write the run's log files under `destination` (default `assets/<run id>`); return their paths."""
        if destination and os.path.exists(destination) and not os.path.isdir(destination):
            raise UserErrorException(f"{destination} exists and is not a directory.")
        destination = destination or os.path.join("assets", self._run_id)
        os.makedirs(destination, exist_ok=True)
        written = []
        for log_name, text in self.get_details_with_logs()["logFiles"].items():
            target = os.path.join(destination, log_name)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with open(target, "w", encoding="utf-8") as handle:
                handle.write(text)
            written.append(target)
        return written

    def get_portal_url(self) -> str:
        return _runs.studio_url(self._ws, self._run_id)

    def wait_for_completion(self, show_output: bool = False, wait_post_processing: bool = False,
                            raise_on_error: bool = True) -> dict[str, Any]:
        if self._record().kind == "interactive" and not self._record().is_terminal:
            raise UserErrorException("This is an interactive run: finish it with run.complete() instead of waiting.")
        if show_output:
            record = _runs.stream(self._ws, self._run_id, lambda line: print(line, flush=True))
        else:
            record = _jobs.wait(self._ws, self._run_id)
        details = self.get_details()
        if record.status == "Failed" and raise_on_error:
            raise ActivityFailedException(
                "ActivityFailedException:\n\tMessage: Activity Failed:\n" + json.dumps(details.get("error", {}), indent=4)
                + "\n\tInnerException None\n\tErrorResponse \n" + json.dumps(details.get("error", {}), indent=4)
            )
        return details

    def complete(self, _set_status: bool = True) -> None:
        # Inside a submitted run the job ends when the script exits (outputs are uploaded after that), so
        # complete() there only marks intent, as in Azure.
        if self._inside_own_job() or not _set_status:
            return
        _jobs.set_status(self._ws, self._run_id, "Completed")

    def _inside_own_job(self) -> bool:
        return os.environ.get("AZUREML_RUN_ID") == self._run_id and self._record().kind != "interactive"

    def fail(self, error_details: Any = None, error_code: str | None = None, _set_status: bool = True) -> None:
        message = str(error_details) if error_details else "The run was marked as failed."
        _jobs.set_status(self._ws, self._run_id, "Failed", {"code": error_code or "UserError", "message": message})

    def cancel(self) -> None:
        _jobs.request_cancel(self._ws, self._run_id)

    # -- secrets (inside a submitted run only, as in Azure) ----------------------------------------------------------
    def get_secret(self, name: str) -> str:
        """A secret from the workspace's Key Vault, read with the run's identity (submitted runs only)."""
        return self._keyvault().get_secret(name)

    def get_secrets(self, secrets: list[str]) -> dict[str, Any]:
        return self._keyvault().get_secrets(secrets)

    def _keyvault(self) -> Any:
        from azureml.core.keyvault import Keyvault

        return Keyvault(self.experiment.workspace)

    def __enter__(self) -> "Run":
        return self

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        if exc_type is None:
            self.complete()
        else:
            self.fail(error_details=exc)

    # -- children --------------------------------------------------------------------------------
    @translate()
    def child_run(self, name: str | None = None, run_id: str | None = None, outputs: Any = None) -> "Run":
        child_id = run_id or f"{self._run_id}_{uuid.uuid4().hex[:8]}"
        _jobs.create(self._ws, name=child_id, experiment=self.experiment.name, kind="interactive", sdk="v1",
                     status="Running", display_name=name, parent=self._run_id)
        return Run(self.experiment, child_id)

    def create_children(self, count: int | None = None, tag_key: str | None = None, tag_values: Any = None) -> list["Run"]:
        return [self.child_run() for _ in range(count or len(tag_values or []))]

    def get_children(self, recursive: bool = False, tags: Any = None, properties: Any = None, type: Any = None,
                     status: Any = None, _rehydrate_runs: bool = True) -> list["Run"]:
        children = [Run(self.experiment, r.name) for r in _jobs.list_jobs(self._ws, parent=self._run_id)]
        if recursive:
            for child in list(children):
                children.extend(child.get_children(recursive=True))
        return children

    # -- models ----------------------------------------------------------------------------------
    def register_model(self, model_name: str, model_path: str | None = None, tags: dict | None = None,
                       properties: dict | None = None, model_framework: str | None = None,
                       model_framework_version: str | None = None, description: str | None = None,
                       datasets: Any = None, sample_input_dataset: Any = None, sample_output_dataset: Any = None,
                       resource_configuration: Any = None, **kwargs: Any) -> Any:
        from azureml.core.model import Model

        return Model._register_from_run(self, model_name, model_path, tags, properties, model_framework,
                                        model_framework_version, description)

    def __repr__(self) -> str:
        return (f"Run(Experiment: {self.experiment.name},\nId: {self._run_id},\nType: {self.type},\n"
                f"Status: {self.get_status()})")


class _ScriptRun(Run):
    pass


ScriptRun = _ScriptRun


def get_run(experiment: Any, run_id: str, rehydrate: bool = True, clean_up: bool = True) -> Run:
    """The run `run_id` of `experiment` (what `azureml.core.get_run` returns)."""
    return Run(experiment, run_id)


class _OfflineRun(Run):
    """What Run.get_context() returns outside a submitted run: logging only prints."""

    def __init__(self) -> None:
        self._run_id = f"OfflineRun_{uuid.uuid4()}"
        self.experiment = None

    @property
    def id(self) -> str:
        return self._run_id

    def _say(self, kind: str, name: str, value: Any) -> None:
        print(f"Attempted to log {kind} metric {name}:\n{value}")

    def log(self, name: str, value: Any, description: str = "", step: int | None = None) -> None:
        self._say("scalar", name, value)

    def log_list(self, name: str, value: list, description: str = "") -> None:
        self._say("list", name, value)

    def log_row(self, name: str, description: str | None = None, **kwargs: Any) -> None:
        self._say("row", name, kwargs)

    def log_table(self, name: str, value: dict, description: str = "") -> None:
        self._say("table", name, value)

    def log_image(self, name: str, path: str | None = None, plot: Any = None, description: str = "") -> None:
        self._say("image", name, path or "<plot>")

    def tag(self, key: str, value: str | None = None) -> None:
        print(f"Attempted to set tag {key}:\n{value}")

    def set_tags(self, tags: dict[str, Any]) -> None:
        for key, value in tags.items():
            self.tag(key, value)

    def get_metrics(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        return {}

    def upload_file(self, name: str, path_or_stream: Any, datastore_name: str | None = None) -> None:
        print(f"Attempted to upload file {name}")

    def get_status(self) -> str:
        return "Running"

    def complete(self, _set_status: bool = True) -> None:
        return None

    def fail(self, *args: Any, **kwargs: Any) -> None:
        return None

    @property
    def input_datasets(self) -> dict[str, Any]:
        return {}

    def get_secret(self, name: str) -> str:
        raise UserErrorException(
            "get_secret is not supported on an offline run: Run.get_context() returns a real run only inside a "
            "submitted run. Read secrets there, or use ws.get_default_keyvault().get_secret(name) here.")

    def get_secrets(self, secrets: list[str]) -> dict[str, Any]:
        return {name: self.get_secret(name) for name in secrets}

    def __repr__(self) -> str:
        return f"Run(Experiment: offline,\nId: {self._run_id},\nType: None,\nStatus: Running)"
