"""Giving a job its data: materialise inputs and outputs, and build the command line that refers to them.

v1 dataset inputs arrive *direct* (the script gets the dataset itself), *download* (files copied beside the job)
or *mount* (a read-only view). v2 inputs are paths (`uri_file`, `uri_folder`, `mltable`) or literals, substituted
for `${{inputs.x}}`; each output `${{outputs.y}}` is a folder under `azureml/<job>/<y>/` on the default datastore.
"""
from __future__ import annotations

import os
import re
import shlex
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping

from sandbox import datastores, uris
from sandbox.errors import InvalidInput, NotFound
from sandbox.jobs.specs import CommandSpec, DataInput, DatasetInput, DatastorePathInput, InputRef, LiteralInput

if TYPE_CHECKING:
    from sandbox.jobs.records import JobRecord
    from sandbox.workspace import Workspace

BINDING = re.compile(r"\$\{\{\s*(inputs|outputs)\.([A-Za-z_][\w]*)\s*\}\}")


@dataclass
class Mounted:
    """Where a job's inputs and outputs are on disk, and what its process is told about them."""

    paths: dict[str, str] = field(default_factory=dict)      # input name -> path (or literal text, dataset id)
    outputs: dict[str, str] = field(default_factory=dict)    # output name -> folder
    env: dict[str, Any] = field(default_factory=dict)        # DP100_INPUTS: how v1 datasets arrived
    variables: dict[str, str] = field(default_factory=dict)  # AZURE_ML_INPUT_x, AZURE_ML_OUTPUT_y, ...


def check_bindings(command: str, inputs: Mapping[str, Any], outputs: Mapping[str, Any]) -> None:
    """Refuse a command that refers to inputs or outputs the job does not define (as Azure's validation does)."""
    for kind, name in BINDING.findall(command):
        known = inputs if kind == "inputs" else outputs
        if name not in known:
            raise InvalidInput(
                f"The command refers to ${{{{{kind}.{name}}}}} but the job defines no {kind[:-1]} named {name!r}. "
                f"Defined {kind}: {', '.join(known) or 'none'}."
            )


def default_output_uri(job_name: str, output: str) -> str:
    return f"azureml://datastores/{datastores.DEFAULT_BLOB}/paths/azureml/{job_name}/{output}/"


def output_uri(job_name: str, name: str, spec: CommandSpec) -> str:
    out = spec.outputs.get(name)
    return (out.path if out is not None and out.path else None) or default_output_uri(job_name, name)


def materialise(ws: "Workspace", job: "JobRecord", folder: Path) -> Mounted:
    spec: CommandSpec = job.spec
    mounted = Mounted()
    for name, item in spec.inputs.items():
        if isinstance(item, LiteralInput):
            mounted.paths[name] = "" if item.value is None else _literal(item.value)
        elif isinstance(item, DatasetInput):
            if item.mode == "direct":
                mounted.paths[name] = item.id
                mounted.env[name] = {"mode": "direct", "id": item.id}
                continue
            target = folder / name
            _files_of_dataset(ws, item.id, target, link=(item.mode == "mount"))
            mounted.paths[name] = str(target)
            mounted.env[name] = {"mode": item.mode, "path": str(target)}
            mounted.variables[f"AZUREML_DATAREFERENCE_{name}"] = str(target)
        elif isinstance(item, DatastorePathInput):
            mounted.paths[name] = str(uris.resolve(ws, item.uri))
        elif isinstance(item, DataInput):
            local = _data_input(ws, name, item, folder)
            mounted.paths[name] = str(local)
            mounted.variables[f"AZURE_ML_INPUT_{name}"] = str(local)
    for name in spec.outputs:
        local = uris.resolve(ws, output_uri(job.name, name, spec))
        local.mkdir(parents=True, exist_ok=True)
        mounted.outputs[name] = str(local)
        mounted.variables[f"AZURE_ML_OUTPUT_{name}"] = str(local)
    return mounted


def _literal(value: Any) -> str:
    if isinstance(value, bool):
        return "True" if value else "False"
    return str(value)


def _data_input(ws: "Workspace", name: str, item: DataInput, folder: Path) -> Path:
    local = uris.resolve(ws, item.path)
    if not uris.has_glob(str(local)) and not local.exists():
        raise NotFound(f"Input {name!r}: the path {item.path} does not exist.")
    if item.mode in ("download", "eval_download"):
        target = folder / name
        if local.is_dir():
            shutil.copytree(local, target, dirs_exist_ok=True)
        else:
            target.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(local, target / local.name)
            target = target / local.name
        local = target
    return local


def _files_of_dataset(ws: "Workspace", dataset_id: str, target: Path, link: bool) -> None:
    from sandbox import datasets

    definition = datasets.get_definition(ws, dataset_id)
    if definition.kind != datasets.FILE:
        raise InvalidInput("Only file datasets can be downloaded or mounted; pass tabular datasets directly.")
    for source, rel in datasets.files_of(ws, definition):
        dest = target / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        if link:
            os.symlink(source.resolve(), dest)
        else:
            shutil.copyfile(source, dest)


def command_line(job: "JobRecord", mounted: Mounted) -> list[str] | str:
    spec: CommandSpec = job.spec
    if spec.argv is not None:  # v1: python <script> <arguments>
        args = [mounted.paths[item.input] if isinstance(item, InputRef) else str(item) for item in spec.argv]
        return [sys.executable, *args]
    if not spec.command:
        raise InvalidInput("The job has no command to run: give command(..., command=\"python train.py\").")
    return f'export PATH="{os.path.dirname(sys.executable)}:$PATH"; ' + substitute(spec.command, mounted)


def substitute(command: str, mounted: Mounted) -> str:
    """Replace `${{inputs.x}}` / `${{outputs.y}}` with the values and paths (quoted for the shell)."""

    def one(match: re.Match) -> str:
        kind, name = match.groups()
        table = mounted.paths if kind == "inputs" else mounted.outputs
        value = table.get(name)
        if value is None:
            raise InvalidInput(f"${{{{{kind}.{name}}}}} has no value: define it in the job's {kind}.")
        return value if re.match(r"^[\w./:=@%+-]+$", value) else shlex.quote(value)

    return BINDING.sub(one, command)
