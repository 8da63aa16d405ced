"""What the sandbox emulates of the real Azure ML SDKs, and what it says when code reaches for the rest.

`AREAS` names the parts of the real packages that learners' code imports (v1 `azureml-*`, v2 `azure-ai-ml`,
`azure-identity`, `mltable`). Whether an area is emulated is read from the facade tree (`sandbox/sdk/`), so an
area becomes "emulated" as soon as its facade lands. `dp100 sandbox coverage` prints the table; in an activated
process, `install_finder()` makes importing a known but unemulated module fail with a sentence saying so, and
facade packages call `missing_name()` for names the real package has and the sandbox does not provide yet.

The names in `coverage_names.json` are the public names (`__all__`) of the real `azure.ai.ml`,
`azure.ai.ml.entities` and `azureml.core` (azure-ai-ml 1.35.2, azureml-core 1.61.0).
"""
from __future__ import annotations

import importlib.abc
import json
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

SDK_DIR = Path(__file__).resolve().parent / "sdk"
HINT = "`dp100 sandbox coverage` lists what the sandbox emulates."


@dataclass(frozen=True)
class Area:
    module: str
    sdk: str   # "v1", "v2", "cli"
    what: str


AREAS: tuple[Area, ...] = (
    Area("azureml.core", "v1", "workspace, experiments, runs, environments, models, datastores"),
    Area("azureml.core.compute", "v1", "compute targets: AmlCompute, ComputeInstance"),
    Area("azureml.data", "v1", "datasets (Tabular, File), data references"),
    Area("azureml.widgets", "v1", "RunDetails run viewer"),
    Area("azureml.fsspec", "v1", "azureml:// paths in pandas"),
    Area("azureml.core.webservice", "v1", "web services (ACI, AKS, local)"),
    Area("azureml.pipeline.core", "v1", "pipelines, published pipelines, schedules"),
    Area("azureml.pipeline.steps", "v1", "pipeline steps (PythonScriptStep, ...)"),
    Area("azureml.train.hyperdrive", "v1", "HyperDrive hyperparameter tuning"),
    Area("azureml.train.automl", "v1", "AutoML (AutoMLConfig)"),
    Area("azureml.train.estimator", "v1", "estimators (deprecated in the real SDK)"),
    Area("azureml.interpret", "v1", "model interpretability"),
    Area("azureml.contrib.fairness", "v1", "fairness dashboards"),
    Area("azureml.datadrift", "v1", "data drift monitors"),
    Area("azure.ai.ml", "v2", "MLClient, command(), Input/Output, load_* functions"),
    Area("azure.ai.ml.entities", "v2", "entities: data, environments, models, compute, jobs, ..."),
    Area("azure.ai.ml.constants", "v2", "AssetTypes, InputOutputModes"),
    Area("azure.ai.ml.dsl", "v2", "pipelines (@dsl.pipeline)"),
    Area("azure.ai.ml.sweep", "v2", "sweep jobs (Choice, Uniform, BanditPolicy, ...)"),
    Area("azure.ai.ml.automl", "v2", "AutoML jobs"),
    Area("azure.ai.ml.parallel", "v2", "parallel jobs"),
    Area("azure.ai.ml.data_transfer", "v2", "data transfer jobs"),
    Area("azure.ai.ml.model_customization", "v2", "model fine-tuning"),
    Area("azure.identity", "v2", "credentials (DefaultAzureCredential, ...)"),
    Area("mltable", "v2", "MLTable loading and transformations"),
)


def _module_path(module: str) -> Path:
    return SDK_DIR.joinpath(*module.split("."))


def is_emulated(module: str) -> bool:
    path = _module_path(module)
    return (path / "__init__.py").is_file() or path.with_suffix(".py").is_file()


def area_of(module: str) -> Area | None:
    """The catalogue area a module belongs to (the longest matching prefix)."""
    best = None
    for area in AREAS:
        if module == area.module or module.startswith(area.module + "."):
            if best is None or len(area.module) > len(best.module):
                best = area
    return best


def rows() -> list[dict[str, str]]:
    return [{"module": a.module, "sdk": a.sdk, "status": "emulated" if is_emulated(a.module) else "not yet",
             "what": a.what} for a in AREAS]


def unemulated_message(module: str) -> str | None:
    """The sentence for importing `module`, when it belongs to a known area the sandbox does not emulate."""
    area = area_of(module)
    if area is None or is_emulated(module):
        return None
    if is_emulated(area.module) and area.module != module:
        return (f"No module named {module!r}: the dp100 sandbox emulates {area.module} ({area.what}) but not this "
                f"module yet. {HINT}")
    return (f"No module named {module!r}: {area.what} ({area.sdk} SDK) is part of the real Azure ML SDK, but the "
            f"dp100 sandbox does not emulate it yet. {HINT}")


@lru_cache(maxsize=1)
def _real_names() -> dict[str, frozenset[str]]:
    data = json.loads((Path(__file__).with_name("coverage_names.json")).read_text(encoding="utf-8"))
    return {module: frozenset(names) for module, names in data.items()}


def missing_name(module: str, name: str) -> Exception:
    """What a facade module's `__getattr__` raises for `name`: an ImportError that says the sandbox does not
    provide it yet when the real package has it (so `from module import name` shows the sentence), else the
    usual AttributeError (so `hasattr` probing keeps working)."""
    if name in _real_names().get(module, ()):
        return ImportError(f"cannot import name {name!r} from {module!r}: the real SDK has it, but the dp100 "
                           f"sandbox does not provide it yet. {HINT}", name=module)
    return AttributeError(f"module {module!r} has no attribute {name!r}")


class UnemulatedFinder(importlib.abc.MetaPathFinder):
    """Last on sys.meta_path: reached only when no facade module was found. Known SDK modules get a sentence."""

    def find_spec(self, fullname, path=None, target=None):
        message = unemulated_message(fullname)
        if message is not None:
            raise ModuleNotFoundError(message, name=fullname)
        if any(a.module.startswith(fullname + ".") for a in AREAS):
            # a parent of a known area (`azureml.train` of `azureml.train.automl`): an empty namespace, so the
            # import goes on to the module the learner named and the sentence names it
            from importlib.machinery import ModuleSpec

            spec = ModuleSpec(fullname, None, is_package=True)
            spec.submodule_search_locations = []
            return spec
        return None


def install_finder() -> None:
    if not any(isinstance(f, UnemulatedFinder) for f in sys.meta_path):
        sys.meta_path.append(UnemulatedFinder())
