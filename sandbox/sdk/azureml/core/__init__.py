"""dp100 sandbox facade of `azureml.core` (v1 SDK). Names load on first use, to keep `import azureml.core` fast."""
from __future__ import annotations

import importlib
from typing import Any

VERSION = "1.61.0"

_LAZY = {
    "Workspace": "azureml.core.workspace",
    "Datastore": "azureml.core.datastore",
    "Dataset": "azureml.core.dataset",
    "Experiment": "azureml.core.experiment",
    "Run": "azureml.core.run",
    "ScriptRun": "azureml.core.run",
    "get_run": "azureml.core.run",
    "ContainerRegistry": "azureml.core.environment",
    "ScriptRunConfig": "azureml.core.script_run_config",
    "RunConfiguration": "azureml.core.runconfig",
    "Environment": "azureml.core.environment",
    "ComputeTarget": "azureml.core.compute_target",
    "Model": "azureml.core.model",
    "Keyvault": "azureml.core.keyvault",
}

__all__ = ["VERSION", *_LAZY]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        from sandbox.coverage import missing_name

        raise missing_name(__name__, name)
    try:
        value = getattr(importlib.import_module(module), name)
    except ModuleNotFoundError as exc:
        if exc.name != module:
            raise
        raise ImportError(
            f"cannot import name {name!r} from 'azureml.core': the dp100 sandbox does not provide it yet."
        ) from None
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
