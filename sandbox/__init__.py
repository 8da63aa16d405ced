"""The dp100 sandbox: a local emulator of an Azure Machine Learning workspace.

In a notebook, activate it before importing the Azure ML SDKs::

    %load_ext sandbox          # or: import sandbox; sandbox.activate()
    from azureml.core import Workspace
"""
from __future__ import annotations

from pathlib import Path


def activate(workspace: str | Path | None = None) -> Path:
    """Put the Azure ML SDK facades on this process's import path (see `sandbox.activation`)."""
    from sandbox.activation import activate as _activate

    return _activate(workspace)


def load_ipython_extension(ipython) -> None:  # pragma: no cover - exercised through IPython only
    folder = activate()
    print(f"dp100 sandbox active: workspace at {folder}")
