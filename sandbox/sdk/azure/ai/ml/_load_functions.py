"""`load_job`, `load_data`, `load_environment`, `load_model`, `load_compute`, `load_datastore`,
`load_workspace`: YAML files (the CLI v2 formats) into entities. `az ml … create --file` uses the same functions.

A file's kind comes from its `$schema` URL (`…/commandJob.schema.json`) or, without one, from what is being
loaded and its `type:`. `KINDS` maps a kind to (family, schema model, builder); a new kind (pipeline jobs, sweep
jobs, components, endpoints…) is one entry. Schemas are pydantic models that refuse unknown fields; their errors
name the file, line and field.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Literal, Optional, Union

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from azure.ai.ml import _yaml


class _Schema(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    schema_: Optional[str] = Field(default=None, alias="$schema")


# -- job ------------------------------------------------------------------------------------------
class _InputSchema(BaseModel):
    model_config = ConfigDict(extra="forbid")
    type: Literal["uri_file", "uri_folder", "mltable", "mlflow_model", "custom_model", "triton_model", "string",
                  "integer", "number", "boolean"] = "uri_folder"
    path: Optional[str] = None
    mode: Optional[Literal["ro_mount", "rw_mount", "download", "direct", "eval_mount", "eval_download",
                           "mount", "upload"]] = None
    default: Any = None
    value: Any = None
    optional: Optional[bool] = None
    description: Optional[str] = None
    datastore: Optional[str] = None


class _OutputSchema(BaseModel):
    model_config = ConfigDict(extra="forbid")
    type: Literal["uri_file", "uri_folder", "mltable", "mlflow_model", "custom_model", "triton_model"] = "uri_folder"
    path: Optional[str] = None
    mode: Optional[Literal["rw_mount", "upload", "direct", "mount"]] = None
    name: Optional[str] = None
    version: Optional[str] = None
    description: Optional[str] = None


class _EnvironmentSchema(_Schema):
    name: Optional[str] = None
    version: Optional[str] = None
    description: Optional[str] = None
    tags: Optional[dict[str, Any]] = None
    properties: Optional[dict[str, Any]] = None
    image: Optional[str] = None
    conda_file: Optional[Union[str, dict]] = None
    build: Optional[dict[str, Any]] = None
    os_type: Optional[Literal["linux", "windows", "Linux", "Windows"]] = None
    inference_config: Optional[dict[str, Any]] = None


class _CommandJobSchema(_Schema):
    type: Literal["command"] = "command"
    name: Optional[str] = None
    display_name: Optional[str] = None
    experiment_name: Optional[str] = None
    description: Optional[str] = None
    tags: Optional[dict[str, Any]] = None
    properties: Optional[dict[str, Any]] = None
    code: Optional[str] = None
    command: str
    environment: Union[str, _EnvironmentSchema]
    environment_variables: Optional[dict[str, Any]] = None
    compute: Optional[str] = None
    inputs: Optional[dict[str, Union[_InputSchema, str, int, float, bool]]] = None
    outputs: Optional[dict[str, Optional[_OutputSchema]]] = None
    resources: Optional[dict[str, Any]] = None
    limits: Optional[dict[str, Any]] = None
    distribution: Optional[dict[str, Any]] = None
    identity: Optional[dict[str, Any]] = None
    services: Optional[dict[str, Any]] = None
    queue_settings: Optional[dict[str, Any]] = None


# -- assets -----------------------------------------------------------------------------------------
class _DataSchema(_Schema):
    name: str
    version: Optional[Union[str, int]] = None
    description: Optional[str] = None
    tags: Optional[dict[str, Any]] = None
    properties: Optional[dict[str, Any]] = None
    type: Literal["uri_file", "uri_folder", "mltable"] = "uri_folder"
    path: str


class _ModelSchema(_Schema):
    name: str
    version: Optional[Union[str, int]] = None
    description: Optional[str] = None
    tags: Optional[dict[str, Any]] = None
    properties: Optional[dict[str, Any]] = None
    type: Literal["custom_model", "mlflow_model", "triton_model"] = "custom_model"
    path: str
    flavors: Optional[dict[str, Any]] = None
    stage: Optional[str] = None


class _NamedEnvironmentSchema(_EnvironmentSchema):
    name: str


# -- compute and datastores -----------------------------------------------------------------------------
class _AmlComputeSchema(_Schema):
    name: str
    type: Literal["amlcompute"] = "amlcompute"
    size: Optional[str] = None
    min_instances: Optional[int] = None
    max_instances: Optional[int] = None
    idle_time_before_scale_down: Optional[int] = None
    tier: Optional[Literal["dedicated", "low_priority"]] = None
    description: Optional[str] = None
    tags: Optional[dict[str, Any]] = None
    location: Optional[str] = None
    ssh_public_access_enabled: Optional[bool] = None
    ssh_settings: Optional[dict[str, Any]] = None
    identity: Optional[dict[str, Any]] = None
    network_settings: Optional[dict[str, Any]] = None
    enable_node_public_ip: Optional[bool] = None


class _ComputeInstanceSchema(_Schema):
    name: str
    type: Literal["computeinstance"] = "computeinstance"
    size: Optional[str] = None
    description: Optional[str] = None
    tags: Optional[dict[str, Any]] = None
    location: Optional[str] = None
    idle_time_before_shutdown_minutes: Optional[int] = None
    ssh_public_access_enabled: Optional[bool] = None
    ssh_settings: Optional[dict[str, Any]] = None
    schedules: Optional[dict[str, Any]] = None
    create_on_behalf_of: Optional[dict[str, Any]] = None
    enable_node_public_ip: Optional[bool] = None


class _DatastoreSchema(_Schema):
    name: str
    type: Literal["azure_blob", "azure_file", "azure_data_lake_gen2"]
    account_name: str
    container_name: Optional[str] = None
    file_share_name: Optional[str] = None
    filesystem: Optional[str] = None
    endpoint: Optional[str] = None
    protocol: Optional[str] = None
    description: Optional[str] = None
    tags: Optional[dict[str, Any]] = None
    credentials: Optional[dict[str, Any]] = None


class _WorkspaceSchema(_Schema):
    name: str
    location: Optional[str] = None
    display_name: Optional[str] = None
    description: Optional[str] = None
    resource_group: Optional[str] = None
    tags: Optional[dict[str, Any]] = None
    hbi_workspace: Optional[bool] = None
    storage_account: Optional[str] = None
    key_vault: Optional[str] = None
    application_insights: Optional[str] = None
    container_registry: Optional[str] = None
    public_network_access: Optional[str] = None
    identity: Optional[dict[str, Any]] = None


# -- builders: validated document -> entity ----------------------------------------------------------
def _local(base: Path, value: str | None) -> str | None:
    """A path relative to the YAML file's folder; URIs and asset references stay as written."""
    if value is None or not isinstance(value, str):
        return value
    if value.startswith(("azureml:", "http://", "https://", "wasbs://", "abfss://", "adl://", "runs:/", "file:")):
        return value
    return str((base / value).resolve()) if not os.path.isabs(value) else value


def _strip_azureml(value: str | None) -> str | None:
    if isinstance(value, str) and value.startswith("azureml:") and not value.startswith("azureml://"):
        return value[len("azureml:"):]
    return value


def _environment(doc: _EnvironmentSchema, base: Path) -> Any:
    from azure.ai.ml.entities import BuildContext, Environment

    build = None
    if doc.build:
        build = BuildContext(path=_local(base, doc.build.get("path")), dockerfile_path=doc.build.get("dockerfile_path"))
    conda = doc.conda_file if isinstance(doc.conda_file, dict) else _local(base, doc.conda_file)
    return Environment(name=doc.name, version=None if doc.version is None else str(doc.version),
                       description=doc.description, tags=doc.tags, properties=doc.properties, image=doc.image,
                       conda_file=conda, build=build, os_type=doc.os_type, inference_config=doc.inference_config)


def _command_job(doc: _CommandJobSchema, base: Path) -> Any:
    from azure.ai.ml import Input, Output
    from azure.ai.ml.entities._job import Command

    inputs: dict[str, Any] = {}
    for key, value in (doc.inputs or {}).items():
        if isinstance(value, _InputSchema):
            if value.type in ("string", "integer", "number", "boolean"):
                inputs[key] = value.value if value.value is not None else value.default
            else:
                path = value.path
                inputs[key] = Input(type=value.type, path=path if path is None or path.startswith("azureml:")
                                    else _local(base, path), mode=value.mode)
        else:
            inputs[key] = value
    outputs = {k: (Output(type=v.type, path=v.path, mode=v.mode, name=v.name, version=v.version)
                   if v is not None else Output()) for k, v in (doc.outputs or {}).items()}
    environment = doc.environment if isinstance(doc.environment, str) else _environment(doc.environment, base)
    job = Command(name=doc.name, display_name=doc.display_name, experiment_name=doc.experiment_name,
                  description=doc.description, tags=doc.tags, properties=doc.properties,
                  code=_local(base, doc.code), command=doc.command, environment=environment,
                  environment_variables=doc.environment_variables, compute=_strip_azureml(doc.compute),
                  inputs=inputs, outputs=outputs, resources=doc.resources)
    if doc.limits and doc.limits.get("timeout") is not None:
        job.set_limits(timeout=int(doc.limits["timeout"]))
    return job


def _data(doc: _DataSchema, base: Path) -> Any:
    from azure.ai.ml.entities import Data

    return Data(name=doc.name, version=None if doc.version is None else str(doc.version), description=doc.description,
                tags=doc.tags, properties=doc.properties, type=doc.type, path=_local(base, doc.path))


def _model(doc: _ModelSchema, base: Path) -> Any:
    from azure.ai.ml.entities import Model

    return Model(name=doc.name, version=None if doc.version is None else str(doc.version), type=doc.type,
                 description=doc.description, tags=doc.tags, properties=doc.properties, path=_local(base, doc.path),
                 flavors=doc.flavors, stage=doc.stage)


def _aml_compute(doc: _AmlComputeSchema, base: Path) -> Any:
    from azure.ai.ml.entities import AmlCompute

    options = {k: v for k, v in doc.model_dump(exclude={"schema_", "type", "ssh_settings", "network_settings"},
                                                exclude_none=True).items()}
    return AmlCompute(**options)


def _compute_instance(doc: _ComputeInstanceSchema, base: Path) -> Any:
    from azure.ai.ml.entities import ComputeInstance

    options = {k: v for k, v in doc.model_dump(exclude={"schema_", "type", "ssh_settings", "schedules",
                                                        "create_on_behalf_of"}, exclude_none=True).items()}
    return ComputeInstance(**options)


def _datastore(doc: _DatastoreSchema, base: Path) -> Any:
    from azure.ai.ml import entities as e

    creds = doc.credentials or {}
    credentials = None
    if "account_key" in creds:
        credentials = e.AccountKeyConfiguration(account_key=creds["account_key"])
    elif "sas_token" in creds:
        credentials = e.SasTokenConfiguration(sas_token=creds["sas_token"])
    elif "client_id" in creds:
        credentials = e.ServicePrincipalConfiguration(tenant_id=creds.get("tenant_id"), client_id=creds["client_id"],
                                                      client_secret=creds.get("client_secret"))
    common = dict(name=doc.name, account_name=doc.account_name, description=doc.description, tags=doc.tags,
                  credentials=credentials)
    if doc.type == "azure_blob":
        return e.AzureBlobDatastore(container_name=doc.container_name or "", **common)
    if doc.type == "azure_file":
        return e.AzureFileDatastore(file_share_name=doc.file_share_name or "", **common)
    return e.AzureDataLakeGen2Datastore(filesystem=doc.filesystem or "", **common)


def _workspace(doc: _WorkspaceSchema, base: Path) -> Any:
    from azure.ai.ml.entities import Workspace

    return Workspace(name=doc.name, location=doc.location, display_name=doc.display_name,
                     description=doc.description, resource_group=doc.resource_group, tags=doc.tags)


@dataclass(frozen=True)
class Kind:
    family: str                    # what loads it: job, data, environment, model, compute, datastore, ...
    schema: type[BaseModel]
    build: Callable[[Any, Path], Any]


# `$schema` kind -> how to load it. Later kinds (pipelineJob, sweepJob, commandComponent, managedOnlineEndpoint,
# ...) add one line each.
KINDS: dict[str, Kind] = {
    "commandJob": Kind("job", _CommandJobSchema, _command_job),
    "data": Kind("data", _DataSchema, _data),
    "environment": Kind("environment", _NamedEnvironmentSchema, _environment),
    "model": Kind("model", _ModelSchema, _model),
    "amlCompute": Kind("compute", _AmlComputeSchema, _aml_compute),
    "computeInstance": Kind("compute", _ComputeInstanceSchema, _compute_instance),
    "azureBlob": Kind("datastore", _DatastoreSchema, _datastore),
    "azureFile": Kind("datastore", _DatastoreSchema, _datastore),
    "azureDataLakeGen2": Kind("datastore", _DatastoreSchema, _datastore),
    "workspace": Kind("workspace", _WorkspaceSchema, _workspace),
}
# (family, `type:` value) -> kind, for files without `$schema`; None = no `type:` given
BY_TYPE: dict[tuple[str, str | None], str] = {
    ("job", "command"): "commandJob", ("job", None): "commandJob",
    ("data", None): "data", ("environment", None): "environment", ("model", None): "model",
    ("compute", "amlcompute"): "amlCompute", ("compute", "computeinstance"): "computeInstance",
    ("datastore", "azure_blob"): "azureBlob", ("datastore", "azure_file"): "azureFile",
    ("datastore", "azure_data_lake_gen2"): "azureDataLakeGen2", ("workspace", None): "workspace",
}
_FAMILY_WORDS = {"job": "a job", "data": "a data asset", "environment": "an environment", "model": "a model",
                 "compute": "a compute", "datastore": "a datastore", "workspace": "a workspace",
                 "component": "a component"}


def _kind_for(family: str, data: dict, lines: _yaml.Lines) -> str:
    named = _yaml.schema_kind(data)
    if named is not None:
        match = next((k for k in KINDS if k.lower() == named.lower()), None)
        if match is None:
            raise lines.error(("$schema",), f"The dp100 sandbox does not load {named!r} files yet. It loads: "
                              f"{', '.join(sorted(KINDS))}.", data.get("$schema"))
        if KINDS[match].family != family:
            raise lines.error(("$schema",), f"This file's $schema is {named!r}, which is "
                              f"{_FAMILY_WORDS.get(KINDS[match].family, KINDS[match].family)}, not "
                              f"{_FAMILY_WORDS.get(family, family)}.", data.get("$schema"))
        return match
    type_value = data.get("type")
    key = (family, str(type_value).lower() if type_value is not None else None)
    if key in BY_TYPE:
        return BY_TYPE[key]
    if (family, None) in BY_TYPE and type_value is not None and family != "job":
        return BY_TYPE[(family, None)]
    choices = sorted({t for f, t in BY_TYPE if f == family and t})
    raise lines.error(("type",), f"Unknown {family} type {type_value!r}" + (f"; use one of: {', '.join(choices)}."
                                                                             if choices else "."), type_value)


_SCALAR_TAGS = {"str", "int", "float", "bool", "dict", "list", "none"}


def _errors(exc: ValidationError, lines: _yaml.Lines, data: dict) -> _yaml.YamlValidationError:
    entries = []
    for err in exc.errors():
        raw = tuple(err["loc"])
        tags = [p for p in raw if isinstance(p, str) and (p in _SCALAR_TAGS or p.startswith("_") or "[" in p)]
        loc = tuple("$schema" if p == "schema_" else p for p in raw if p not in tags)
        value = _value_at(data, loc)
        union_value = _value_at(data, tuple(raw[:raw.index(tags[0])]), raw=True) if tags else None
        if tags and isinstance(union_value, dict) == any(t in _SCALAR_TAGS for t in tags):
            continue  # a union's other branch: a mapping is judged by the schema branch, a scalar by the scalar ones
        kind = err["type"]
        if kind == "missing":
            message = "Missing data for required field."
        elif kind == "extra_forbidden":
            message = "Unknown field."
        else:
            message = err["msg"]
        entries.append(lines.entry(loc, message, value))
    seen, unique = set(), []
    for e in entries:
        key = (e["path"], e["message"])
        if key not in seen:
            seen.add(key)
            unique.append(e)
    return _yaml.YamlValidationError(lines.source, unique)


def _value_at(data: Any, loc: tuple, raw: bool = False) -> Any:
    for key in loc:
        if isinstance(data, dict) and key in data:
            data = data[key]
        elif isinstance(data, list) and isinstance(key, int) and key < len(data):
            data = data[key]
        else:
            return None
    if raw:
        return data
    return data if isinstance(data, (str, int, float, bool)) or data is None else str(data)


def load(family: str, source: str | os.PathLike, params_override: list[dict] | None = None) -> Any:
    """Load `source` as an entity of `family` (job, data, ...), validating it against its kind's schema."""
    from azure.ai.ml.exceptions import ValidationException

    data, lines, base = _yaml.read(source, params_override)
    kind = KINDS[_kind_for(family, data, lines)]
    try:
        doc = kind.schema.model_validate(data)
    except ValidationError as exc:
        raise _errors(exc, lines, data) from None
    try:
        return kind.build(doc, base)
    except ValidationException as exc:
        raise lines.error((), str(exc)) from None


def load_job(source: str | os.PathLike, *, relative_origin: str | None = None,
             params_override: list[dict] | None = None, **kwargs: Any) -> Any:
    return load("job", source, params_override)


def load_data(source: str | os.PathLike, *, relative_origin: str | None = None,
              params_override: list[dict] | None = None, **kwargs: Any) -> Any:
    return load("data", source, params_override)


def load_environment(source: str | os.PathLike, *, relative_origin: str | None = None,
                     params_override: list[dict] | None = None, **kwargs: Any) -> Any:
    return load("environment", source, params_override)


def load_model(source: str | os.PathLike, *, relative_origin: str | None = None,
               params_override: list[dict] | None = None, **kwargs: Any) -> Any:
    return load("model", source, params_override)


def load_compute(source: str | os.PathLike, *, relative_origin: str | None = None,
                 params_override: list[dict] | None = None, **kwargs: Any) -> Any:
    return load("compute", source, params_override)


def load_datastore(source: str | os.PathLike, *, relative_origin: str | None = None,
                   params_override: list[dict] | None = None, **kwargs: Any) -> Any:
    return load("datastore", source, params_override)


def load_workspace(source: str | os.PathLike, *, relative_origin: str | None = None,
                   params_override: list[dict] | None = None, **kwargs: Any) -> Any:
    return load("workspace", source, params_override)
