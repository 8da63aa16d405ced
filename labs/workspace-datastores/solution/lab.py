# %% [markdown]
# # Workspace and datastores (SDK v1)
# Connect to the workspace, upload data to the default datastore, register and use a blob datastore.

# %%
from azureml.core import Workspace, Datastore

ws = Workspace.from_config()
print("Connected to", ws.name)

# %%
default_store = ws.get_default_datastore()
default_store.upload(src_dir="data", target_path="diabetes-data", overwrite=True, show_progress=False)

# %%
training_store = Datastore.register_azure_blob_container(
    workspace=ws,
    datastore_name="training_data",
    container_name="training-data",
    account_name="dp100labstorage",
    account_key="not-a-real-key",
)

# %%
training_store.upload_files(files=["data/diabetes.csv"], target_path="raw", overwrite=True, show_progress=False)

# %%
for name, store in ws.datastores.items():
    print(name, store.datastore_type)
