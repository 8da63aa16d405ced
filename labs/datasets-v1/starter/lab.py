# %% [markdown]
# # Tabular and file datasets (SDK v1)

# %%
from azureml.core import Workspace, Dataset

ws = Workspace.from_config()
datastore = ws.get_default_datastore()

# %%
# TODO 2: tabular dataset from diabetes-data/diabetes.csv, registered as "diabetes-tabular"

# %%
# TODO 3: file dataset from every CSV in diabetes-data/, registered as "diabetes-files"

# %%
# TODO 4: tabular dataset over both CSV files, registered as a new version of "diabetes-tabular"

# %%
# TODO 5: get version 1 of "diabetes-tabular" by number and print how many rows it has
