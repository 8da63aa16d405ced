"""v1 `Experiment`: a named group of runs; submit scripts to it or log interactively."""
from __future__ import annotations

from typing import Any, Iterator

from azureml._sandbox import translate
from azureml.exceptions import UserErrorException
from sandbox import jobs as _jobs


class Experiment:
    def __init__(self, workspace: Any, name: str, _skip_name_validation: bool = False, _id: str | None = None,
                 _archived_time: str | None = None, _create_in_cloud: bool = True, _experiment_dto: Any = None,
                 **kwargs: Any) -> None:
        if not _skip_name_validation:
            translate()(_jobs.validate_experiment_name)(name)
        self.workspace = workspace
        self.name = name

    # -- tags ------------------------------------------------------------------------------------
    @property
    def tags(self) -> dict[str, str]:
        from sandbox import tracking

        return {k: v for k, v in tracking.get_experiment_tags(self.workspace._engine, self.id).items()
                if not k.startswith("mlflow.")}

    def tag(self, key: str, value: str | None = None) -> None:
        self.set_tags({key: "" if value is None else value})

    def set_tags(self, tags: dict[str, Any]) -> None:
        from sandbox import tracking

        tracking.set_experiment_tags(self.workspace._engine, self.id, tags)

    def remove_tags(self, tags: list[str]) -> None:
        from sandbox import tracking

        tracking.set_experiment_tags(self.workspace._engine, self.id, {}, remove=list(tags))

    def get_portal_url(self) -> str:
        return (f"https://ml.azure.com/experiments/id/{self.id}?wsid={self.workspace._engine.arm_id}"
                "&tid=dp100-sandbox")

    def refresh(self) -> None:
        return None

    @property
    def id(self) -> str:
        from sandbox import tracking

        return tracking.ensure_experiment(self.workspace._engine, self.name)

    @translate()
    def submit(self, config: Any, tags: dict | None = None, **kwargs: Any) -> Any:
        submit = getattr(config, "_dp100_submit", None)
        if submit is None:
            raise UserErrorException(
                f"Experiment.submit expects a ScriptRunConfig (or a pipeline); got {type(config).__name__}."
            )
        return submit(self, tags or {}, **kwargs)

    @translate()
    def start_logging(self, *args: Any, outputs: str | None = None, snapshot_directory: str | None = None,
                      display_name: str | None = None, **kwargs: Any) -> Any:
        from azureml.core.run import Run

        engine = self.workspace._engine
        run_id = _jobs.new_run_id(self.name)
        _jobs.create(engine, name=run_id, experiment=self.name, kind="interactive", sdk="v1", status="Running",
                     display_name=display_name)
        if snapshot_directory:
            from pathlib import Path

            from sandbox import snapshots

            snapshots.take(Path(snapshot_directory), _jobs.job_dir(engine, run_id) / "snapshot")
        return Run(self, run_id, outputs=outputs)

    def get_runs(self, type: str | None = None, tags: Any = None, properties: Any = None,
                 include_children: bool = False) -> Iterator[Any]:
        from azureml.core.run import Run

        for rec in _jobs.list_jobs(self.workspace._engine, experiment=self.name, top_level_only=not include_children):
            yield Run(self, rec.name)

    @staticmethod
    def list(workspace: Any, experiment_name: str | None = None, view_type: str = "ActiveOnly",
             tags: Any = None) -> list["Experiment"]:
        names = _jobs.experiments(workspace._engine)
        return [Experiment(workspace, n) for n in names if experiment_name in (None, n)]

    def archive(self) -> None:
        return None

    def __repr__(self) -> str:
        return f"Experiment(Name: {self.name},\nWorkspace: {self.workspace.name})"

    def _repr_html_(self) -> str:
        return f"<table><tr><th>Name</th><th>Workspace</th></tr><tr><td>{self.name}</td><td>{self.workspace.name}</td></tr></table>"
