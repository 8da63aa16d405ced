# %% [markdown]
# # Troubleshooting a failing job (SDK v2)
# This submission script is correct. The job it submits fails: fix src/train.py.

# %%
from azure.ai.ml import Input, MLClient, command
from azure.ai.ml.constants import AssetTypes
from azure.identity import DefaultAzureCredential

ml_client = MLClient.from_config(credential=DefaultAzureCredential())

job = command(
    code="./src",
    command="python train.py --training_data ${{inputs.training_data}} --max_depth ${{inputs.max_depth}}",
    inputs={
        "training_data": Input(type=AssetTypes.URI_FILE, path="./data/diabetes.csv"),
        "max_depth": 5,
    },
    environment="AzureML-sklearn-1.5@latest",
    experiment_name="diabetes-troubleshooting",
)
job = ml_client.jobs.create_or_update(job)
print("Submitted", job.name)

# %%
ml_client.jobs.stream(job.name)
print("Status:", ml_client.jobs.get(job.name).status)
