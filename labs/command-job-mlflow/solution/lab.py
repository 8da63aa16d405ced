# %% [markdown]
# # Command jobs tracked with MLflow (SDK v2)

# %%
import mlflow
from azure.ai.ml import Input, MLClient, command
from azure.ai.ml.constants import AssetTypes
from azure.identity import DefaultAzureCredential
from mlflow.tracking import MlflowClient

ml_client = MLClient.from_config(credential=DefaultAzureCredential())

# %%
submitted = []
for reg_rate in (1.0, 0.01):
    job = command(
        code="./src",
        command="python train.py --training_data ${{inputs.training_data}} --reg_rate ${{inputs.reg_rate}}",
        inputs={
            "training_data": Input(type=AssetTypes.URI_FILE, path="./data/diabetes.csv"),
            "reg_rate": reg_rate,
        },
        environment="AzureML-sklearn-1.5@latest",
        experiment_name="diabetes-mlflow",
        display_name=f"diabetes-reg-{reg_rate}",
    )
    submitted.append(ml_client.jobs.create_or_update(job))

for job in submitted:
    ml_client.jobs.stream(job.name)

# %%
runs = mlflow.search_runs(experiment_names=["diabetes-mlflow"], order_by=["metrics.AUC DESC"])
best = runs.iloc[0]
print("Best run:", best["run_id"], "AUC", best["metrics.AUC"])
MlflowClient().set_tag(best["run_id"], "best", "yes")
