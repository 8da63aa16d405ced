# %% [markdown]
# # Environments for jobs (SDK v2)
# The training script in src/ needs pandas and scikit-learn. The environment it was first run with does not have them.

# %%
from azure.ai.ml import Input, MLClient, command
from azure.ai.ml.constants import AssetTypes
from azure.ai.ml.entities import Environment
from azure.ai.ml.exceptions import JobException
from azure.identity import DefaultAzureCredential

ml_client = MLClient.from_config(credential=DefaultAzureCredential())

BASE_IMAGE = "mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04:latest"


def training_job(environment):
    """The same training job, with the environment of your choice."""
    return command(
        code="./src",
        command="python train.py --training_data ${{inputs.training_data}}",
        inputs={"training_data": Input(type=AssetTypes.URI_FILE, path="./data/diabetes.csv")},
        environment=environment,
        experiment_name="diabetes-environments",
    )


def run(job):
    """Submit a job, wait for it and return its final status (a failed job does not stop the script)."""
    job = ml_client.jobs.create_or_update(job)
    try:
        ml_client.jobs.stream(job.name)
    except JobException as exc:
        print("The job failed:", exc)
    status = ml_client.jobs.get(job.name).status
    print(job.name, status)
    return status


# %%
# 1. The given environment: only pyyaml. Run the job and read the error at the end of its log.
basic_env = ml_client.environments.create_or_update(
    Environment(name="basic-env", image=BASE_IMAGE, conda_file="./env/basic-conda.yml",
                description="A colleague's first try"))
run(training_job(f"{basic_env.name}:{basic_env.version}"))

# %%
# TODO 2: finish env/diabetes-conda.yml and register it as the environment "diabetes-env"

# %%
# TODO 3: run training_job(...) with diabetes-env and check that it completes

# %%
# TODO 4: run training_job(...) with the curated environment AzureML-sklearn-1.5 (its latest version)
