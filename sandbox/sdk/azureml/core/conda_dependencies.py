"""v1 `CondaDependencies`: the conda specification of an environment (python version, packages, channels)."""
from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any, Iterator

from azureml.exceptions import UserErrorException

PYTHON_DEFAULT_VERSION = "3.10.18"  # azureml-core 1.61
SDK_VERSION = "1.61.0"
DEFAULT_CHANNELS = ["anaconda", "conda-forge"]
_HEADER = """# Conda environment specification. The dependencies defined in this file will
# be automatically provisioned for runs with userManagedDependencies=False.

# Details about the Conda environment file format:
# https://conda.io/docs/user-guide/tasks/manage-environments.html#create-env-file-manually
"""
_SPEC = re.compile(r"[=<>!~\s\[;@]")


def _name(spec: str) -> str:
    text = str(spec).strip().split("::")[-1]
    return re.sub(r"[-_.]+", "-", _SPEC.split(text, 1)[0]).lower()


class CondaDependencies:
    """Manage the conda (and pip) packages, channels and python version of an environment."""

    DEFAULT_NUMBER_OF_CONDA_PACKAGES = 0
    DEFAULT_NUMBER_OF_PIP_PACKAGES = 0

    def __init__(self, conda_dependencies_file_path: str | None = None, _underlying_structure: dict | None = None) -> None:
        if conda_dependencies_file_path is not None:
            path = Path(conda_dependencies_file_path)
            if not path.is_file():
                raise UserErrorException(
                    f"Conda dependencies file {str(path)!r} was not found (relative paths start at {Path.cwd()}).")
            import yaml

            try:
                data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            except yaml.YAMLError as exc:
                raise UserErrorException(f"{str(path)!r} is not a valid conda YAML file: {exc}") from None
            self._structure = _checked(data, str(path))
        elif _underlying_structure is not None:
            self._structure = _checked(copy.deepcopy(_underlying_structure), "conda specification")
        else:
            self._structure = {
                "name": "project_environment",
                "dependencies": [f"python={PYTHON_DEFAULT_VERSION}", {"pip": ["azureml-defaults"]}],
                "channels": list(DEFAULT_CHANNELS),
            }

    # -- construction -----------------------------------------------------------------------
    @staticmethod
    def create(pip_indexurl: str | None = None, pip_packages: list[str] | None = None,
               conda_packages: list[str] | None = None, python_version: str = PYTHON_DEFAULT_VERSION,
               pin_sdk_version: bool = True) -> "CondaDependencies":
        cd = CondaDependencies(_underlying_structure={
            "name": "project_environment",
            "dependencies": [f"python={python_version or PYTHON_DEFAULT_VERSION}",
                             {"pip": [f"azureml-defaults~={SDK_VERSION}" if pin_sdk_version else "azureml-defaults"]}],
            "channels": list(DEFAULT_CHANNELS),
        })
        if pip_indexurl:
            cd.set_pip_index_url(pip_indexurl)
        for package in conda_packages or []:
            cd.add_conda_package(package)
        for package in pip_packages or []:
            cd.add_pip_package(package)
        return cd

    @staticmethod
    def merge_requirements(requirements: list[str]) -> list[str]:
        merged: dict[str, str] = {}
        for req in requirements:
            merged[_name(req)] = req
        return list(merged.values())

    @staticmethod
    def sdk_origin_url() -> str:
        return "https://pypi.python.org/simple"

    # -- reading ----------------------------------------------------------------------------
    @property
    def conda_channels(self) -> Iterator[str]:
        return iter(list(self._structure.get("channels") or []))

    @property
    def conda_packages(self) -> Iterator[str]:
        return iter([d for d in self._deps() if isinstance(d, str) and _name(d) != "python"])

    @property
    def pip_packages(self) -> Iterator[str]:
        return iter([p for p in self._pip() if not str(p).startswith("-")])

    @property
    def pip_options(self) -> Iterator[str]:
        return iter([p for p in self._pip() if str(p).startswith("-")])

    def get_python_version(self) -> str | None:
        for d in self._deps():
            if isinstance(d, str) and _name(d) == "python":
                return re.sub(r"^python\s*[=<>!~]*", "", d.strip()) or None
        return None

    # -- changing ---------------------------------------------------------------------------
    def set_python_version(self, version: str) -> None:
        deps = self._deps()
        line = f"python={version}"
        for i, d in enumerate(deps):
            if isinstance(d, str) and _name(d) == "python":
                deps[i] = line
                return
        deps.insert(0, line)

    def add_conda_package(self, conda_package: str) -> None:
        _check_package(conda_package)
        deps = self._deps()
        for i, d in enumerate(deps):
            if isinstance(d, str) and _name(d) == _name(conda_package):
                deps[i] = conda_package
                return
        pip_at = next((i for i, d in enumerate(deps) if isinstance(d, dict)), len(deps))
        deps.insert(pip_at, conda_package)

    def remove_conda_package(self, conda_package: str) -> None:
        deps = self._deps()
        deps[:] = [d for d in deps if not (isinstance(d, str) and _name(d) == _name(conda_package))]

    def add_pip_package(self, pip_package: str) -> None:
        _check_package(pip_package)
        pips = self._pip(create=True)
        for i, p in enumerate(pips):
            if not str(p).startswith("-") and _name(p) == _name(pip_package):
                pips[i] = pip_package
                return
        pips.append(pip_package)

    def remove_pip_package(self, pip_package: str) -> None:
        pips = self._pip()
        pips[:] = [p for p in pips if str(p).startswith("-") or _name(p) != _name(pip_package)]

    def add_channel(self, channel: str) -> None:
        channels = self._structure.setdefault("channels", [])
        if channel not in channels:
            channels.append(channel)

    def remove_channel(self, channel: str) -> None:
        self._structure["channels"] = [c for c in self._structure.get("channels") or [] if c != channel]

    def set_pip_option(self, pip_option: str) -> None:
        option = pip_option
        pips = self._pip(create=True)
        key = option.split("=")[0].split()[0]
        for i, p in enumerate(pips):
            if str(p).startswith("-") and str(p).split("=")[0].split()[0] == key:
                pips[i] = option
                return
        pips.insert(0, option)

    def remove_pip_option(self, pip_option: str) -> None:
        option = pip_option
        pips = self._pip()
        key = option.split("=")[0].split()[0]
        pips[:] = [p for p in pips if not (str(p).startswith("-") and str(p).split("=")[0].split()[0] == key)]

    def set_pip_index_url(self, index_url: str) -> None:
        self.set_pip_option(f"--index-url {index_url}")

    def add_tensorflow_conda_package(self, core_type: str = "cpu", version: str | None = None) -> None:
        name = "tensorflow-gpu" if core_type == "gpu" else "tensorflow"
        self.add_conda_package(f"{name}={version}" if version else name)

    def add_tensorflow_pip_package(self, core_type: str = "cpu", version: str | None = None) -> None:
        name = "tensorflow-gpu" if core_type == "gpu" else "tensorflow"
        self.add_pip_package(f"{name}=={version}" if version else name)

    # -- writing ----------------------------------------------------------------------------
    def serialize_to_string(self) -> str:
        lines = [_HEADER, f"name: {_scalar(self._structure.get('name') or 'project_environment')}", "dependencies:"]
        for d in self._deps():
            if isinstance(d, dict):
                lines.append("")
                lines.append("- pip:")
                for p in d.get("pip") or []:
                    lines.append(f"  - {_scalar(p)}")
            elif _name(d) == "python":
                lines.append("  # The python interpreter version.")
                lines.append("  # Currently Azure ML only supports 3.8 and later.")
                lines.append(f"- {_scalar(d)}")
                lines.append("")
            else:
                lines.append(f"- {_scalar(d)}")
        lines.append("channels:")
        lines.extend(f"- {_scalar(c)}" for c in self._structure.get("channels") or [])
        for key, value in self._structure.items():
            if key not in ("name", "dependencies", "channels"):
                lines.append(f"{key}: {json.dumps(value)}")
        return "\n".join(lines) + "\n"

    def save(self, path: str | None = None) -> str:
        target = Path(path or "conda_dependencies.yml")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(self.serialize_to_string(), encoding="utf-8")
        return str(target)

    def save_to_file(self, base_directory: str, conda_file_path: str | None = None) -> str:
        return self.save(str(Path(base_directory) / (conda_file_path or "conda_dependencies.yml")))

    def _as_dict(self) -> dict:
        return copy.deepcopy(self._structure)

    # -- internals --------------------------------------------------------------------------
    def _deps(self) -> list:
        return self._structure.setdefault("dependencies", [])

    def _pip(self, create: bool = False) -> list:
        deps = self._deps()
        for d in deps:
            if isinstance(d, dict) and "pip" in d:
                if d["pip"] is None:
                    d["pip"] = []
                return d["pip"]
        if not create:
            return []
        if not any(isinstance(d, str) and _name(d) == "pip" for d in deps):
            pass  # Azure's own files often omit 'pip'; conda installs it for a pip section
        section: dict[str, list] = {"pip": []}
        deps.append(section)
        return section["pip"]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, CondaDependencies) and other._structure == self._structure

    def __repr__(self) -> str:
        return self.serialize_to_string()


def _checked(data: Any, where: str) -> dict:
    if not isinstance(data, dict):
        raise UserErrorException(f"The {where} must be a mapping with 'dependencies' (and optionally 'name', "
                                 "'channels').")
    deps = data.get("dependencies") or []
    if not isinstance(deps, list):
        raise UserErrorException(f"'dependencies' in the {where} must be a list, e.g. ['python=3.8', 'scikit-learn'].")
    for item in deps:
        if isinstance(item, dict) and set(item) != {"pip"}:
            raise UserErrorException(f"In the {where}, a mapping in dependencies must be {{'pip': [...]}}; got {item!r}.")
        if not isinstance(item, (dict, str)):
            raise UserErrorException(f"In the {where}, dependencies must be package names; got {item!r}.")
    data["dependencies"] = [str(d) if isinstance(d, str) else {"pip": [str(p) for p in d.get("pip") or []]}
                            for d in deps]
    data.setdefault("name", "project_environment")
    data["channels"] = list(data.get("channels") or [])
    return data


def _check_package(package: object) -> None:
    if not isinstance(package, str) or not package.strip():
        raise UserErrorException(f"A package must be a non-empty string like 'scikit-learn' or 'pandas>=1.3'; "
                                 f"got {package!r}.")


def _scalar(value: Any) -> str:
    text = str(value)
    if (not text or text[0] in "!&*{}[]|>'\"%@`#,?:-" or ": " in text or " #" in text or text != text.strip()
            or text.lower() in ("yes", "no", "true", "false", "null", "on", "off", "~")):
        return json.dumps(text)
    return text
