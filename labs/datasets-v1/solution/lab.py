# %% [markdown]
# # Tabular and file datasets (SDK v1)

# %%
from azureml.core import Workspace, Dataset

ws = Workspace.from_config()
datastore = ws.get_default_datastore()

# %%
tabular = Dataset.Tabular.from_delimited_files(path=(datastore, "diabetes-data/diabetes.csv"))
tabular = tabular.register(workspace=ws, name="diabetes-tabular", description="Diabetes patients")
print("Registered", tabular.name, "version", tabular.version)

# %%
files = Dataset.File.from_files(path=(datastore, "diabetes-data/*.csv"))
files = files.register(workspace=ws, name="diabetes-files")

# %%
both = Dataset.Tabular.from_delimited_files(path=(datastore, "diabetes-data/*.csv"))
both = both.register(workspace=ws, name="diabetes-tabular", create_new_version=True)
print("Now at version", both.version)

# %%
first = Dataset.get_by_name(ws, name="diabetes-tabular", version=1)
print("Version 1 has", len(first.to_pandas_dataframe()), "rows")
