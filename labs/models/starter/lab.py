# %% [markdown]
# # Registering MLflow models (SDK v2)

# %%
from azure.ai.ml import Input, MLClient, Output, command
from azure.ai.ml.constants import AssetTypes
from azure.ai.ml.entities import Model
from azure.identity import DefaultAzureCredential

ml_client = MLClient.from_config(credential=DefaultAzureCredential())

# %%
# TODO 1: submit src/train.py with the input training_data and the output model_output; wait for it

# %%
# TODO 2: register the "model" folder of the job's model_output as diabetes-mlflow (mlflow_model, tag source=job)

# %%
# TODO 3: download model_output to ./downloaded and register its "model" folder again (tag source=local)

# %%
# TODO 4: print name, version and tags of every version of diabetes-mlflow
