# %% [markdown]
# # Compute clusters for jobs (SDK v2)

# %%
from azure.ai.ml import Input, MLClient, command
from azure.ai.ml.constants import AssetTypes
from azure.ai.ml.entities import AmlCompute
from azure.identity import DefaultAzureCredential

ml_client = MLClient.from_config(credential=DefaultAzureCredential())

# %%
# TODO 1: create the cluster "aml-cluster" (Standard_DS11_v2, 0 to 2 nodes, 120 s idle time before scale-down)

# %%
# 2. The training job. It runs on serverless compute as long as no compute is named.
# TODO 2: run it on aml-cluster instead
job = command(
    code="./src",
    command="python train.py --training_data ${{inputs.training_data}}",
    inputs={"training_data": Input(type=AssetTypes.URI_FILE, path="./data/diabetes.csv")},
    environment="AzureML-sklearn-1.5@latest",
    experiment_name="diabetes-compute",
)
job = ml_client.jobs.create_or_update(job)
ml_client.jobs.stream(job.name)
print(job.name, ml_client.jobs.get(job.name).status)

# %%
# TODO 3: let the cluster scale to 3 nodes
