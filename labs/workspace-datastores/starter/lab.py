# %% [markdown]
# # Workspace and datastores (SDK v1)
# Connect to the workspace, upload data to the default datastore, register and use a blob datastore.

# %%
from azureml.core import Workspace, Datastore

# TODO 1: connect to the workspace described by config.json
ws = None

# %%
# TODO 2: upload the local folder "data" to the default datastore, under "diabetes-data" (allow overwriting)

# %%
# TODO 3: register the blob container "training-data" of the storage account "dp100labstorage"
#         as a datastore named "training_data", with an account key

# %%
# TODO 4: upload data/diabetes.csv to the new datastore as raw/diabetes.csv

# %%
# TODO 5: print the name and type of every datastore in the workspace
