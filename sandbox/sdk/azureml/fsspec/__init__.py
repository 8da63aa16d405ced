"""Facade of `azureml-fsspec`: browse and open datastore files by azureml:// URI."""
from sandbox.fsspec_azureml import AzureMLFileSystem as AzureMachineLearningFileSystem

__all__ = ["AzureMachineLearningFileSystem"]
