"""dp100 sandbox facade of `azure.ai.ml.entities`."""
from azure.ai.ml.entities._credentials import (
    AccountKeyConfiguration,
    AmlTokenConfiguration,
    IdentityConfiguration,
    ManagedIdentityConfiguration,
    NoneCredentialConfiguration,
    SasTokenConfiguration,
    ServicePrincipalConfiguration,
    UserIdentityConfiguration,
)
from azure.ai.ml.entities._data import Data
from azure.ai.ml.entities._datastores import AzureBlobDatastore, AzureDataLakeGen2Datastore, AzureFileDatastore, Datastore
from azure.ai.ml.entities._job import Command, CommandJob, CommandJobLimits, Job, JobResourceConfiguration, ResourceConfiguration
from azure.ai.ml.entities._model import Model
from azure.ai.ml.entities._resource import SystemData
from azure.ai.ml.entities._workspace import Workspace
from azure.ai.ml.entities._environment import BuildContext, Environment
from azure.ai.ml.entities._compute import AmlCompute, AmlComputeSshSettings, Compute, ComputeInstance, Usage, VmSize

__all__ = [
    "Command", "CommandJob", "CommandJobLimits", "Job", "JobResourceConfiguration", "Model", "ResourceConfiguration",
    "AccountKeyConfiguration", "AzureBlobDatastore", "AzureDataLakeGen2Datastore", "AzureFileDatastore", "Data",
    "Datastore", "AmlTokenConfiguration", "IdentityConfiguration", "ManagedIdentityConfiguration", "NoneCredentialConfiguration",
    "SasTokenConfiguration", "ServicePrincipalConfiguration", "SystemData", "UserIdentityConfiguration", "Workspace",
    "AmlCompute", "AmlComputeSshSettings", "BuildContext", "Compute", "ComputeInstance", "Environment", "Usage",
    "VmSize",
]


def __getattr__(name: str):
    from sandbox.coverage import missing_name

    raise missing_name(__name__, name)
