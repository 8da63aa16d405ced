"""The curated environments (AzureML-*): the catalogue, their definitions, and seeding them into a workspace."""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sandbox.clock import iso_now
from sandbox.environments.definitions import VERSIONS, EnvironmentDefinition, conda_spec, image_hash

if TYPE_CHECKING:
    from sandbox.workspace import Workspace

CURATED_REVISION = "2"  # 2: every version from 1 to the latest (the docs pin many of them)


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
    _Curated("AzureML-sklearn-1.0-ubuntu20.04-py38-cpu", "62",
             "mcr.microsoft.com/azureml/curated/sklearn-1.0-ubuntu20.04-py38-cpu:62", "3.8",
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


def _curated_definition(c: _Curated, version: str | None = None) -> EnvironmentDefinition:
    image = c.image if version is None else f"{c.image.rsplit(':', 1)[0]}:{version}"
    return EnvironmentDefinition(
        image=image,
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


def seed(ws: "Workspace") -> None:
    """Add the curated environments to the workspace (once per catalogue revision); the table must exist."""
    key = (str(ws.root), CURATED_REVISION)
    if key in _seeded:
        return
    if ws.store.get_meta("environments.curated") != CURATED_REVISION:
        with ws.store.transaction():
            for c in CURATED:
                # Azure keeps every published version of a curated environment (docs and labs pin old ones);
                # versions 1..latest are seeded oldest first so that `@latest` is the newest.
                for number in range(1, int(c.version) + 1):
                    version = str(number)
                    if VERSIONS.row(ws, c.name, version) is not None:
                        continue
                    defn = _curated_definition(c, version)
                    seq = VERSIONS.next_seq(ws)
                    ws.store.run(
                        "INSERT INTO environments(name, version, definition, image_hash, description, tags, curated,"
                        " created, seq) VALUES(?,?,?,?,?,?,?,?,?)", c.name, version, json.dumps(defn.to_dict()),
                        image_hash(defn), c.description, json.dumps({"OS": "Ubuntu", "Training": ""}), 1,
                        iso_now(), seq)
            ws.store.set_meta("environments.curated", CURATED_REVISION)
    _seeded.add(key)
