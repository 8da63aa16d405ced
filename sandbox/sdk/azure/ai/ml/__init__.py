"""dp100 sandbox facade of `azure.ai.ml` (v2 SDK)."""
from azure.ai.ml._ml_client import MLClient
from azure.ai.ml._inputs import Input, Output
from azure.ai.ml._command import command
from azure.ai.ml._load_functions import (
    load_compute,
    load_data,
    load_datastore,
    load_environment,
    load_job,
    load_model,
    load_workspace,
)

__version__ = "1.35.2"

__all__ = ["MLClient", "Input", "Output", "command", "load_compute", "load_data", "load_datastore",
           "load_environment", "load_job", "load_model", "load_workspace"]

from sandbox.coverage import install_finder as _install_finder

_install_finder()  # importing a part of the SDK the sandbox does not emulate yet says so


def __getattr__(name: str):
    from sandbox.coverage import missing_name

    raise missing_name(__name__, name)
