"""Giving a job its data: materialise inputs and outputs, and build the command line that refers to them.

v1 dataset inputs arrive *direct* (the script gets the dataset itself), *download* (files copied beside the job)
or *mount* (a read-only view). v2 inputs are paths (`uri_file`, `uri_folder`, `mltable`) or literals, substituted
for `${{inputs.x}}`; each output `${{outputs.y}}` is a folder under `azureml/<job>/<y>/` on the default datastore.
"""
from __future__ import annotations

import os
import re
import shutil
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sandbox import datastores, uris
from sandbox.errors import InvalidInput

if TYPE_CHECKING:
    from sandbox.jobs import JobRecord
    from sandbox.workspace import Workspace

BINDING = re.compile(r"\$\{\{\s*(inputs|outputs)\.([A-Za-z_][\w]*)\s*\}\}")


def check_bindings(command: str, inputs: dict[str, Any], outputs: dict[str, Any]) -> None:
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


def materialise(ws: "Workspace", job: "JobRecord", folder: Path) -> dict[str, Any]:
    paths: dict[str, str] = {}
    env: dict[str, Any] = {}
    variables: dict[str, str] = {}
    for name, spec in (job.spec.get("inputs") or {}).items():
        kind = spec.get("kind")
        if kind == "literal":
            paths[name] = "" if spec.get("value") is None else str(spec["value"])
            continue
        if kind == "dataset":
            mode = spec.get("mode", "direct")
            if mode == "direct":
                paths[name] = spec["id"]
                env[name] = {"mode": "direct", "id": spec["id"]}
                continue
            target = folder / name
            _files_of_dataset(ws, spec["id"], target, link=(mode == "mount"))
            paths[name] = str(target)
            env[name] = {"mode": mode, "path": str(target)}
            variables[f"AZUREML_DATAREFERENCE_{name}"] = str(target)
            continue
        if kind == "datastore_path":
            local = uris.resolve(ws, spec["uri"])
            paths[name] = str(local)
            continue
        # v2 data input
        local = uris.resolve(ws, spec["path"])
        if not uris.has_glob(str(local)) and not local.exists():
            from sandbox.errors import NotFound

            raise NotFound(f"Input {name!r}: the path {spec['path']} does not exist.")
        if spec.get("mode") == "download":
            target = folder / name
            if local.is_dir():
                shutil.copytree(local, target, dirs_exist_ok=True)
            else:
                target.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(local, target / local.name)
                target = target / local.name
            local = target
        paths[name] = str(local)
        variables[f"AZURE_ML_INPUT_{name}"] = str(local)
    outputs: dict[str, str] = {}
    for name, spec in (job.spec.get("outputs") or {}).items():
        uri = spec.get("path") or default_output_uri(job.name, name)
        local = uris.resolve(ws, uri)
        local.mkdir(parents=True, exist_ok=True)
        outputs[name] = str(local)
        variables[f"AZURE_ML_OUTPUT_{name}"] = str(local)
    return {"paths": paths, "outputs": outputs, "env": env, "vars": variables}


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


def command_line(job: "JobRecord", mounted: dict[str, Any]) -> list[str] | str:
    spec = job.spec
    if "argv" in spec:  # v1: python <script> <arguments>
        args = []
        for item in spec["argv"]:
            if isinstance(item, dict) and "input" in item:
                args.append(mounted["paths"][item["input"]])
            else:
                args.append(str(item))
        return [sys.executable, *args]
    command = spec.get("command")
    if not command:
        raise InvalidInput("The job has no command to run: give command(..., command=\"python train.py\").")

    def substitute(match: re.Match) -> str:
        kind, name = match.groups()
        table = mounted["paths"] if kind == "inputs" else mounted["outputs"]
        value = table.get(name)
        if value is None:
            raise InvalidInput(f"${{{{{kind}.{name}}}}} has no value: define it in the job's {kind}.")
        return _quote(value)

    bin_dir = os.path.dirname(sys.executable)
    return f'export PATH="{bin_dir}:$PATH"; ' + BINDING.sub(substitute, command)


def _quote(value: str) -> str:
    import shlex

    return value if re.match(r"^[\w./:=@%+-]+$", value) else shlex.quote(value)
