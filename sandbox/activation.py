"""Putting the SDK facades on the import path: for child processes, for a notebook, for the current process.

Importing `sandbox` alone never changes `sys.path`; only an explicit activation does, so installing dp100
never shadows a real Azure SDK installed beside it.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

SDK_DIR = Path(__file__).resolve().parent / "sdk"
HOOK_DIR = Path(__file__).resolve().parent / "jobhook"  # sitecustomize: Azure-like library defaults (see there)
FACADE_ROOTS = ("azureml", "azure", "mltable")


def child_env(base: dict[str, str] | None = None, workspace: Path | None = None) -> dict[str, str]:
    """The environment for a process that runs learner code against the sandbox."""
    from sandbox.home import workspace_dir

    env = dict(os.environ if base is None else base)
    parts = [str(HOOK_DIR), str(SDK_DIR)] + [p for p in env.get("PYTHONPATH", "").split(os.pathsep)
                                             if p and p not in (str(HOOK_DIR), str(SDK_DIR))]
    env["PYTHONPATH"] = os.pathsep.join(parts)
    env["DP100_WORKSPACE"] = str(Path(workspace) if workspace else workspace_dir())
    env["DP100_ACTIVE"] = "1"
    env["PATH"] = os.pathsep.join([str(az_bin())] + [p for p in env.get("PATH", "").split(os.pathsep)
                                                      if p and p != str(az_bin())])
    env.setdefault("PYTHONUNBUFFERED", "1")
    env.setdefault("MLFLOW_TRACKING_URI", _tracking_uri(Path(env["DP100_WORKSPACE"])))
    return env


def az_bin() -> Path:
    """A folder holding the sandbox's `az` command (the Azure CLI with the ml extension, see `azure.cli`).

    It goes first on PATH only in processes the sandbox activates, so a real Azure CLI is never shadowed
    elsewhere. The script names this interpreter and the facade folder, so it works from any shell the
    activated process starts (a notebook's `!az ...`, a lab's set-up script).
    """
    import hashlib

    from platformdirs import user_cache_dir

    cache = Path(os.environ.get("DP100_CACHE") or user_cache_dir("dp100", appauthor=False))
    script = (f'#!/bin/sh\n# the dp100 sandbox\'s Azure CLI\n'
              f'PYTHONPATH="{SDK_DIR}${{PYTHONPATH:+:$PYTHONPATH}}" exec "{sys.executable}" -m azure.cli "$@"\n')
    folder = cache / "bin" / hashlib.sha256(script.encode()).hexdigest()[:12]
    target = folder / "az"
    if not target.is_file() or target.read_text(encoding="utf-8") != script:
        folder.mkdir(parents=True, exist_ok=True)
        tmp = folder / f".az.{os.getpid()}"
        tmp.write_text(script, encoding="utf-8")
        tmp.chmod(0o755)
        os.replace(tmp, target)
    return folder


def _tracking_uri(folder: Path) -> str:
    """MLflow in learner processes logs to the workspace's store (mlflow.set_experiment + start_run just work)."""
    from sandbox import tracking
    from sandbox.workspace import Workspace

    ws = Workspace.open_or_create(folder)
    tracking.ensure_db(ws)
    return tracking.tracking_uri(ws)


def activate(workspace: str | Path | None = None) -> Path:
    """Activate the sandbox in this process (a notebook, an interpreter) and return the workspace folder.

    Already-imported real Azure SDK modules are dropped from `sys.modules` so the facades take their place.
    """
    from sandbox.home import workspace_dir
    from sandbox.workspace import Workspace

    if workspace is not None:
        os.environ["DP100_WORKSPACE"] = str(Path(workspace).expanduser().resolve())
    folder = workspace_dir()
    Workspace.open_or_create(folder)
    os.environ["DP100_WORKSPACE"] = str(folder)
    os.environ["DP100_ACTIVE"] = "1"
    os.environ.setdefault("MLFLOW_TRACKING_URI", _tracking_uri(folder))
    if str(az_bin()) not in os.environ.get("PATH", "").split(os.pathsep):  # a notebook's `!az ...`
        os.environ["PATH"] = os.pathsep.join([str(az_bin()), os.environ.get("PATH", "")])
    if str(SDK_DIR) not in sys.path:
        sys.path.insert(0, str(SDK_DIR))
    _library_defaults()
    for name in list(sys.modules):
        if name.split(".")[0] in FACADE_ROOTS and not _is_facade(sys.modules[name]):
            del sys.modules[name]
    return folder


def _library_defaults() -> None:
    """What the job hook's sitecustomize does at start-up, for a process activated after it started."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("_dp100_hook", HOOK_DIR / "sitecustomize.py")
    if spec is None or spec.loader is None or any(type(f).__name__ == "_AfterImport" for f in sys.meta_path):
        return
    hook = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(hook)
    if "mlflow.sklearn" in sys.modules:
        hook._pickle_sklearn_models(sys.modules["mlflow.sklearn"])


def _is_facade(module: object) -> bool:
    origin = getattr(module, "__file__", None) or ""
    paths = list(getattr(module, "__path__", []) or [])
    return any(str(p).startswith(str(SDK_DIR)) for p in [origin, *paths])


def is_active() -> bool:
    return os.environ.get("DP100_ACTIVE") == "1" and str(SDK_DIR) in sys.path
