"""What an environment is: its definition and record, conda specifications, names, the image hash, build contexts.

The bottom of the package: it imports nothing from the other environment modules.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable

from sandbox.assets import Versions
from sandbox.errors import InvalidInput, NotFound

if TYPE_CHECKING:
    from sandbox.workspace import Workspace

REGISTRY = "dp100.azurecr.io"
DEFAULT_CPU_IMAGE = "mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04:20251002.v1"  # azureml-core 1.61
DEFAULT_GPU_IMAGE = "mcr.microsoft.com/azureml/openmpi4.1.0-cuda11.8-cudnn8-ubuntu22.04"
RESERVED_PREFIXES = ("azureml", "microsoft")
ANONYMOUS_NAME = "CliV2AnonymousEnvironment"
VERSIONS = Versions("environments", "Environment", hidden_names=(ANONYMOUS_NAME,))
NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9\-._]{0,254}$")


# -- records -----------------------------------------------------------------------------------
@dataclass
class EnvironmentDefinition:
    """What an image is built from (plus the run-time settings that travel with it)."""
    image: str | None = DEFAULT_CPU_IMAGE
    dockerfile: str | None = None           # the Dockerfile's text
    build_context: str | None = None        # a folder the sandbox keeps (copied from the learner's build path)
    conda: dict | None = None               # a conda specification: name, channels, dependencies (+ pip list)
    user_managed_dependencies: bool = False
    interpreter_path: str = "python"
    environment_variables: dict[str, str] = field(default_factory=dict)
    inferencing_stack_version: str | None = None
    os_type: str = "Linux"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "EnvironmentDefinition":
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        return cls(**known)


@dataclass
class EnvironmentRecord:
    name: str
    version: str
    definition: EnvironmentDefinition
    image_hash: str
    description: str | None = None
    tags: dict[str, str] = field(default_factory=dict)
    curated: bool = False
    archived: bool = False
    created: str = ""

    @property
    def ref(self) -> str:
        return f"azureml:{self.name}:{self.version}"

    @property
    def image_name(self) -> str:
        return f"{REGISTRY}/azureml/azureml_{self.image_hash}"


@dataclass
class BuildResult:
    ok: bool
    image: str
    log: list[str]
    error: str | None = None
    cached: bool = False


@dataclass(frozen=True)
class Requirement:
    raw: str
    name: str                    # canonical distribution name ("" for lines that are not packages)
    extras: tuple[str, ...] = ()
    specifier: str = ""          # PEP 440 specifier ("" = any version)
    source: str = "pip"          # "pip", "conda" or "dockerfile"
    system: bool = False         # a conda package with no Python distribution (mkl, cudatoolkit, ...)
    unsupported: str | None = None  # why the sandbox cannot install it (URL, local path, ...)


# -- conda specifications ----------------------------------------------------------------------
_SPEC_START = re.compile(r"[=<>!~\s\[;@]")


def _conda_name(spec: str) -> str:
    text = spec.strip().split("::")[-1]
    return canonical(_SPEC_START.split(text, 1)[0]) if text else ""


def conda_spec(python_version: str | None = None, conda_packages: Iterable[str] = (), pip_packages: Iterable[str] = (),
               channels: Iterable[str] = ("conda-forge",), name: str = "project_environment") -> dict:
    """Build a conda specification dict (the shape of a conda YAML file)."""
    deps: list[Any] = []
    if python_version:
        deps.append(f"python={python_version}")
    deps.extend(conda_packages)
    pips = list(pip_packages)
    if pips:
        if not any(_conda_name(d) == "pip" for d in deps if isinstance(d, str)):
            deps.append("pip")
        deps.append({"pip": pips})
    return {"name": name, "channels": list(channels), "dependencies": deps}


def load_conda_file(path: str | Path) -> dict:
    """Read a conda YAML file into a dict, with messages a learner can act on."""
    path = Path(path)
    if not path.is_file():
        raise NotFound(f"Conda file {str(path)!r} was not found (relative paths start at {Path.cwd()}).")
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise InvalidInput(f"Conda file {str(path)!r} is not valid YAML: {exc}") from None
    return check_conda(data, str(path))


def check_conda(data: object, where: str = "conda specification") -> dict:
    if not isinstance(data, dict):
        raise InvalidInput(f"The {where} must be a mapping with 'dependencies' (and optionally 'name', 'channels').")
    deps = data.get("dependencies") or []
    if not isinstance(deps, list):
        raise InvalidInput(f"'dependencies' in the {where} must be a list, e.g. ['python=3.10', 'scikit-learn'].")
    for item in deps:
        if isinstance(item, dict):
            if set(item) != {"pip"} or not isinstance(item["pip"], list):
                raise InvalidInput(f"In the {where}, a mapping in dependencies must be {{'pip': [packages...]}}; "
                                   f"got {item!r}.")
        elif not isinstance(item, str):
            raise InvalidInput(f"In the {where}, dependencies must be package names; got {item!r}.")
    channels = data.get("channels") or []
    if not isinstance(channels, list):
        raise InvalidInput(f"'channels' in the {where} must be a list, e.g. ['conda-forge'].")
    return {"name": data.get("name") or "project_environment", "channels": list(channels),
            "dependencies": list(deps), **{k: v for k, v in data.items() if k not in ("name", "channels", "dependencies")}}


def conda_parts(conda: dict | None) -> tuple[str | None, list[str], list[str], list[str]]:
    """(python version, conda packages without python, pip packages, channels) of a conda specification."""
    if not conda:
        return None, [], [], []
    python = None
    condas: list[str] = []
    pips: list[str] = []
    for item in conda.get("dependencies") or []:
        if isinstance(item, dict):
            pips.extend(str(p) for p in item.get("pip") or [])
        elif _conda_name(str(item)) == "python":
            python = re.sub(r"^python\s*[=<>!~]*\s*", "", str(item).strip()) or None
        else:
            condas.append(str(item))
    return python, condas, pips, [str(c) for c in conda.get("channels") or []]


def pip_requirements_file(path: str | Path) -> list[str]:
    """The requirement lines of a pip requirements file (comments and blank lines dropped)."""
    path = Path(path)
    if not path.is_file():
        raise NotFound(f"Requirements file {str(path)!r} was not found (relative paths start at {Path.cwd()}).")
    lines = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split(" #", 1)[0].strip()
        if line and not line.startswith("#"):
            lines.append(line)
    return lines


# -- names and hashes --------------------------------------------------------------------------
def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower().strip()


def validate_name(name: object, curated: bool = False) -> str:
    if not isinstance(name, str) or not name.strip():
        raise InvalidInput("An environment needs a name, e.g. Environment(name='training-env').")
    if not NAME_RE.match(name):
        raise InvalidInput(f"Invalid environment name {name!r}: use letters, digits, '-', '_' and '.', starting with a "
                           "letter or digit (at most 255 characters).")
    if not curated and name.lower().startswith(RESERVED_PREFIXES):
        raise InvalidInput(
            f"Environment name {name!r} is not allowed: names starting with 'AzureML' or 'Microsoft' are reserved "
            "for curated environments. Choose another name, e.g. 'my-sklearn-env' (to change a curated environment, "
            "copy it under such a name: env.clone('my-sklearn-env') in v1)."
        )
    return name


_SKIP_DIRS = {".git", "__pycache__", ".ipynb_checkpoints", ".venv"}


def _context_files(folder: Path, exclude: Path | None = None) -> list[Path]:
    files = []
    for p in folder.rglob("*"):
        rel = p.relative_to(folder)
        if any(part in _SKIP_DIRS for part in rel.parts):
            continue
        if exclude is not None and (p == exclude or exclude in p.parents):
            continue
        if p.is_file():
            files.append(p)
    return sorted(files)


def build_context_hash(path: str | None, exclude: Path | None = None) -> str | None:
    if not path:
        return None
    folder = Path(path)
    if not folder.exists():
        return None
    digest = hashlib.sha256()
    for f in _context_files(folder, exclude):
        digest.update(f.relative_to(folder).as_posix().encode() + b"\0" + f.read_bytes())
    return digest.hexdigest()


def image_hash(defn: EnvironmentDefinition) -> str:
    """The image identity: base image, Dockerfile and context, python version, packages and channels, in order."""
    python, condas, pips, channels = conda_parts(defn.conda)
    payload = json.dumps({
        "image": None if defn.dockerfile else defn.image,
        "dockerfile": defn.dockerfile,
        "context": build_context_hash(defn.build_context),
        "python": python,
        "conda": condas,
        "pip": pips,
        "channels": channels,
        "user_managed": defn.user_managed_dependencies,
    }, sort_keys=True)
    return hashlib.md5(payload.encode()).hexdigest()


# -- build contexts ----------------------------------------------------------------------------
def store_build_context(ws: "Workspace", path: str | Path) -> str:
    """Copy a learner's build folder into the workspace (once per content) and return the kept folder."""
    import shutil

    src = Path(path)
    if not src.is_dir():
        raise NotFound(f"Build context folder {str(src)!r} was not found (relative paths start at {Path.cwd()}).")
    workspace = ws.root.resolve()
    digest = build_context_hash(str(src), exclude=workspace) or "empty"
    target = ws.root / "environments" / "contexts" / digest[:32]
    if not target.exists():
        staging = target.with_name(f"{target.name}.{os.getpid()}.tmp")
        shutil.rmtree(staging, ignore_errors=True)
        for f in _context_files(src.resolve(), exclude=workspace):
            dest = staging / f.relative_to(src.resolve())
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(f, dest)
        staging.mkdir(parents=True, exist_ok=True)
        try:
            staging.rename(target)
        except OSError:
            shutil.rmtree(staging, ignore_errors=True)
    return str(target)


def definition_from_build(ws: "Workspace", path: str | Path, dockerfile_path: str = "Dockerfile",
                          conda: dict | None = None) -> EnvironmentDefinition:
    kept = store_build_context(ws, path)
    dockerfile = Path(kept) / (dockerfile_path or "Dockerfile")
    if not dockerfile.is_file():
        raise NotFound(f"No Dockerfile at {dockerfile_path!r} in the build context {str(path)!r}. Put a Dockerfile "
                       "there or pass BuildContext(path=..., dockerfile_path='<file>').")
    return EnvironmentDefinition(image=None, dockerfile=dockerfile.read_text(encoding="utf-8"), build_context=kept,
                                 conda=conda)
