"""dp100 sandbox facade of the Azure ML SDK v1 (`azureml-core`)."""
