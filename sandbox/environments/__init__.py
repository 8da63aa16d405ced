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

    definitions.py   EnvironmentDefinition / EnvironmentRecord / Requirement, constants, conda specifications,
                     names, the image hash, build contexts
    curated.py       the curated AzureML-* environments and seeding them into a workspace
    registry.py      the table; register, get, list, archive, resolve; the registry's view (ls_rows, tree)
    packages.py      parsing conda / pip / Dockerfile requirements; what the runtime installs and PROVIDES
    builds.py        build, is_built and the build log; allowed_distributions (the import closure)

Each module imports only the ones above it in this list (packages.py only definitions.py).
"""
from __future__ import annotations

from sandbox.environments.definitions import (
    ANONYMOUS_NAME,
    DEFAULT_CPU_IMAGE,
    DEFAULT_GPU_IMAGE,
    NAME_RE,
    REGISTRY,
    RESERVED_PREFIXES,
    VERSIONS,
    BuildResult,
    EnvironmentDefinition,
    EnvironmentRecord,
    Requirement,
    build_context_hash,
    canonical,
    check_conda,
    conda_parts,
    conda_spec,
    definition_from_build,
    image_hash,
    load_conda_file,
    pip_requirements_file,
    store_build_context,
    validate_name,
)
from sandbox.environments.curated import CURATED, CURATED_REVISION
from sandbox.environments.registry import (
    MIGRATIONS,
    get,
    list_environments,
    ls_rows,
    register,
    register_anonymous,
    resolve,
    set_archived,
    tree,
)
from sandbox.environments.packages import (
    ALWAYS_PROVIDED,
    CONDA_ALIASES,
    CONDA_SYSTEM,
    DISTRIBUTION_ALIASES,
    PROVIDED,
    PROVIDED_EXTRAS,
    always_provided,
    installed,
    parse_conda,
    parse_pip,
    requirements,
)
from sandbox.environments.builds import allowed_distributions, build, is_built

__all__ = [
    "ALWAYS_PROVIDED", "ANONYMOUS_NAME", "BuildResult", "CONDA_ALIASES", "CONDA_SYSTEM", "CURATED", "CURATED_REVISION",
    "DEFAULT_CPU_IMAGE", "DEFAULT_GPU_IMAGE", "DISTRIBUTION_ALIASES", "EnvironmentDefinition", "EnvironmentRecord",
    "MIGRATIONS", "NAME_RE", "PROVIDED", "PROVIDED_EXTRAS", "REGISTRY", "RESERVED_PREFIXES", "Requirement",
    "VERSIONS", "allowed_distributions", "always_provided", "build", "build_context_hash", "canonical",
    "check_conda", "conda_parts", "conda_spec", "definition_from_build", "get", "image_hash", "installed",
    "is_built", "list_environments", "load_conda_file", "ls_rows", "parse_conda", "parse_pip",
    "pip_requirements_file", "register", "register_anonymous", "requirements", "resolve", "set_archived",
    "store_build_context", "tree", "validate_name",
]
