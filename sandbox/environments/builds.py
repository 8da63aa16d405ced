"""Building an environment's image (resolving its packages, the build log, the cache by image hash) and what a
job in the environment may import (`allowed_distributions`: the closure of its requirements)."""
from __future__ import annotations

import functools
import json
from typing import TYPE_CHECKING, Any, Iterable

from sandbox.clock import iso_now
from sandbox.environments.curated import _curated_definition, _curated_for_image
from sandbox.environments.definitions import (
    _SPEC_START,
    REGISTRY,
    BuildResult,
    EnvironmentRecord,
    Requirement,
    canonical,
    conda_parts,
)
from sandbox.environments.packages import (
    DISTRIBUTION_ALIASES,
    PROVIDED,
    PROVIDED_EXTRAS,
    _Resolved,
    _resolve_requirement,
    always_provided,
    installed,
    requirements,
)
from sandbox.environments.registry import _ensure

if TYPE_CHECKING:
    from sandbox.workspace import Workspace


# -- build ---------------------------------------------------------------------------------------
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
