"""dp100 sandbox facade of `azureml.widgets`: follow a run from a notebook or a terminal."""
from azureml.widgets.run_details import RunDetails

__all__ = ["RunDetails"]
