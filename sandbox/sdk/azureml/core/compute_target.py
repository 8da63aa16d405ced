"""v1 `azureml.core.compute_target` (where `ComputeTargetException` is commonly imported from)."""
from azureml.core.compute.compute import ComputeTarget, ComputeTargetProvisioningConfiguration
from azureml.exceptions import ComputeTargetException

AbstractComputeTarget = ComputeTarget

__all__ = ["AbstractComputeTarget", "ComputeTarget", "ComputeTargetException", "ComputeTargetProvisioningConfiguration"]
