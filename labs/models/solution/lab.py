# %% [markdown]
# # Registering MLflow models (SDK v2)

# %%
from azure.ai.ml import Input, MLClient, Output, command
from azure.ai.ml.constants import AssetTypes
from azure.ai.ml.entities import Model
from azure.identity import DefaultAzureCredential

ml_client = MLClient.from_config(credential=DefaultAzureCredential())

# %%
job = command(
    code="./src",
    command="python train.py --training_data ${{inputs.training_data}} --model_output ${{outputs.model_output}}",
    inputs={"training_data": Input(type=AssetTypes.URI_FILE, path="./data/diabetes.csv")},
    outputs={"model_output": Output(type=AssetTypes.URI_FOLDER)},
    environment="AzureML-sklearn-1.5@latest",
    experiment_name="diabetes-models",
)
job = ml_client.jobs.create_or_update(job)
ml_client.jobs.stream(job.name)

# %%
from_job = Model(
    name="diabetes-mlflow",
    type=AssetTypes.MLFLOW_MODEL,
    path=f"azureml://jobs/{job.name}/outputs/model_output/paths/model/",
    tags={"source": "job"},
)
ml_client.models.create_or_update(from_job)

# %%
ml_client.jobs.download(job.name, download_path="./downloaded", output_name="model_output")
from_folder = Model(
    name="diabetes-mlflow",
    type=AssetTypes.MLFLOW_MODEL,
    path="./downloaded/named-outputs/model_output/model",
    tags={"source": "local"},
)
ml_client.models.create_or_update(from_folder)

# %%
for model in ml_client.models.list(name="diabetes-mlflow"):
    print(model.name, model.version, model.tags)
