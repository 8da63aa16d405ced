"""What a job runs: one typed spec per job kind, whichever SDK (or the CLI) submitted it.

The v1 facade (`ScriptRunConfig`) and the v2 facade (`command(...)`) both build a `CommandSpec`; later kinds
(pipeline, sweep, automl, batch scoring) add their own spec class with `register_spec`. A spec is stored as JSON
on the job record and read back with `parse`; the supervisor picks the executor by `spec.kind`.
"""
from __future__ import annotations

from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, ConfigDict, Field


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid")


# -- inputs and outputs ------------------------------------------------------------------------------------------
class LiteralInput(_Spec):
    """A value: `${{inputs.x}}` becomes its text."""

    kind: Literal["literal"] = "literal"
    value: Any = None
    type: str | None = None          # v2 input type when declared: string, integer, number, boolean


class DataInput(_Spec):
    """A v2 data input: a URI (azureml://, a datastore path, an uploaded local path) given to the job as a path."""

    kind: Literal["data"] = "data"
    type: str = "uri_folder"         # uri_file | uri_folder | mltable
    path: str
    mode: str = "ro_mount"           # ro_mount | download | direct | rw_mount | eval_mount | eval_download


class DatasetInput(_Spec):
    """A v1 dataset: direct (the dataset itself), download (files copied) or mount (a read-only view)."""

    kind: Literal["dataset"] = "dataset"
    id: str
    mode: str = "direct"
    path_on_compute: str | None = None


class DatastorePathInput(_Spec):
    """A v1 `DataReference` / `DataPath`: a datastore path given as a local path."""

    kind: Literal["datastore_path"] = "datastore_path"
    uri: str
    mode: str | None = None


class JobOutput(_Spec):
    """A named output: a folder (or file) the job writes; default `azureml/<job>/<name>/` on the default datastore."""

    type: str = "uri_folder"
    path: str | None = None
    mode: str = "rw_mount"


InputSpec = Annotated[Union[LiteralInput, DataInput, DatasetInput, DatastorePathInput], Field(discriminator="kind")]


class InputRef(_Spec):
    """An argument that is replaced by an input's local path when the job starts (v1 `arguments=[dataset, ...]`)."""

    input: str


# -- job kinds ---------------------------------------------------------------------------------------------------
class CommandSpec(_Spec):
    """Run a program: a shell `command` with `${{inputs.x}}`/`${{outputs.y}}` bindings (v2, CLI, v1 `command=`), or
    `python <argv…>` (v1 `ScriptRunConfig(script=…, arguments=…)`)."""

    kind: Literal["command"] = "command"
    command: str | None = None
    argv: list[Union[str, InputRef]] | None = None
    inputs: dict[str, InputSpec] = Field(default_factory=dict)
    outputs: dict[str, JobOutput] = Field(default_factory=dict)
    environment_variables: dict[str, str] = Field(default_factory=dict)
    timeout: float | None = None     # seconds; None = the sandbox default
    code: str | None = None          # the code folder as the learner gave it (shown back; the snapshot is what runs)
    script: str | None = None        # v1 run definition, shown by get_details()
    arguments: list[str] = Field(default_factory=list)

    def describe(self) -> dict[str, Any]:
        """The run definition as v1 `get_details()['runDefinition']` shows it."""
        out: dict[str, Any] = {}
        if self.script:
            out["script"] = self.script
        if self.arguments:
            out["arguments"] = list(self.arguments)
        if self.command:
            out["command"] = self.command
        return out


class InteractiveSpec(_Spec):
    """A run the learner's own process drives (v1 `start_logging`, child runs): nothing for a supervisor to do."""

    kind: Literal["interactive"] = "interactive"

    def describe(self) -> dict[str, Any]:
        return {}


_SPECS: dict[str, type[BaseModel]] = {"command": CommandSpec, "interactive": InteractiveSpec}


def register_spec(kind: str, model: type[BaseModel]) -> None:
    """Add a job kind (pipeline, sweep, …): its spec class must have a `kind` field with that literal default."""
    _SPECS[kind] = model


def spec_class(kind: str) -> type[BaseModel]:
    _load_kind_modules()
    try:
        return _SPECS[kind]
    except KeyError:
        raise ValueError(f"Unknown job kind {kind!r}; known kinds: {', '.join(sorted(_SPECS))}.") from None


def parse(data: dict[str, Any] | None) -> BaseModel:
    """A stored spec back as its typed model (records written before specs had a `kind` are command specs)."""
    data = dict(data or {})
    kind = data.get("kind") or ("command" if ("command" in data or "argv" in data) else "interactive")
    data["kind"] = kind
    model = spec_class(kind)
    if kind == "command":  # records from before typed specs: drop keys the old shape carried
        data = {k: v for k, v in data.items() if k in CommandSpec.model_fields}
        data["environment_variables"] = {str(k): str(v) for k, v in (data.get("environment_variables") or {}).items()}
    return model.model_validate(data)


def dump(spec: BaseModel) -> dict[str, Any]:
    return spec.model_dump(mode="json", exclude_none=True)


def _load_kind_modules() -> None:
    """Kinds defined outside this module register themselves on import."""
    from sandbox.jobs import executors

    executors.load_specs()
