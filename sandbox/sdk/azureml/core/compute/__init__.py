"""v1 `azureml.core.compute`: compute targets (clusters and compute instances)."""
from azureml.core.compute.compute import ComputeTarget
from azureml.core.compute.amlcompute import AmlCompute
from azureml.core.compute.computeinstance import ComputeInstance

__all__ = ["ComputeTarget", "AmlCompute", "ComputeInstance"]
