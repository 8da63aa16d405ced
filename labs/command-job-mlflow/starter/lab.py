# %% [markdown]
# # Command jobs tracked with MLflow (SDK v2)

# %%
import mlflow
from azure.ai.ml import Input, MLClient, command
from azure.ai.ml.constants import AssetTypes
from azure.identity import DefaultAzureCredential
from mlflow.tracking import MlflowClient

# TODO 2: connect
ml_client = None

# %%
# TODO 2-3: define the command job with the inputs training_data and reg_rate, submit it with reg_rate 1.0
#           and again with 0.01, and wait for both jobs

# %%
# TODO 4: find the run of "diabetes-mlflow" with the highest AUC and tag it best=yes
