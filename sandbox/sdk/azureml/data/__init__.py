"""v1 `azureml.data`: dataset classes and data references."""
from azureml.data.file_dataset import FileDataset
from azureml.data.tabular_dataset import TabularDataset
from azureml.data.dataset_type_definitions import DataType

__all__ = ["FileDataset", "TabularDataset", "DataType"]
