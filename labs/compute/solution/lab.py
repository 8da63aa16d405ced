# %% [markdown]
# # Compute clusters for jobs (SDK v2)

# %%
from azure.ai.ml import Input, MLClient, command
from azure.ai.ml.constants import AssetTypes
from azure.ai.ml.entities import AmlCompute
from azure.identity import DefaultAzureCredential

ml_client = MLClient.from_config(credential=DefaultAzureCredential())

# %%
# 1. A cluster that scales between 0 and 2 nodes and releases idle nodes after two minutes
cluster = AmlCompute(
    name="aml-cluster",
    size="Standard_DS11_v2",
    min_instances=0,
    max_instances=2,
    idle_time_before_scale_down=120,
    tier="Dedicated",
)
cluster = ml_client.compute.begin_create_or_update(cluster).result()
print(cluster.name, cluster.provisioning_state)

# %%
# 2. Run the training script on the cluster
job = command(
    code="./src",
    command="python train.py --training_data ${{inputs.training_data}}",
    inputs={"training_data": Input(type=AssetTypes.URI_FILE, path="./data/diabetes.csv")},
    environment="AzureML-sklearn-1.5@latest",
    compute="aml-cluster",
    experiment_name="diabetes-compute",
)
job = ml_client.jobs.create_or_update(job)
ml_client.jobs.stream(job.name)
print(job.name, ml_client.jobs.get(job.name).status)

# %%
# 3. Allow the cluster one more node
cluster = ml_client.compute.get("aml-cluster")
cluster.max_instances = 3
cluster = ml_client.compute.begin_create_or_update(cluster).result()
print(cluster.name, "now scales to", cluster.max_instances, "nodes")
