"""dp100 sandbox facade of `azure.ai.ml` (v2 SDK)."""
from azure.ai.ml._ml_client import MLClient
from azure.ai.ml._inputs import Input, Output
from azure.ai.ml._command import command

__version__ = "1.35.2"

__all__ = ["MLClient", "Input", "Output", "command"]
