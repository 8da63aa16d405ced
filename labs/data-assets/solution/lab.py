# %% [markdown]
# # Data assets: uri_file, uri_folder and mltable (SDK v2)

# %%
import mltable
from azure.ai.ml import MLClient
from azure.ai.ml.constants import AssetTypes
from azure.ai.ml.entities import Data
from azure.identity import DefaultAzureCredential

ml_client = MLClient.from_config(credential=DefaultAzureCredential())

# %%
file_asset = Data(name="diabetes-file", version="1", type=AssetTypes.URI_FILE, path="./data/diabetes.csv",
                  description="All patients, one CSV file")
ml_client.data.create_or_update(file_asset)

# %%
folder_asset = Data(name="diabetes-folder", version="1", type=AssetTypes.URI_FOLDER, path="./data")
ml_client.data.create_or_update(folder_asset)

# %%
table = mltable.from_delimited_files(paths=[{"file": "./table/diabetes.csv"}])
table.save("./table")
first = ml_client.data.create_or_update(Data(name="diabetes-table", type=AssetTypes.MLTABLE, path="./table"))
print("diabetes-table version", first.version)

# %%
table.drop_columns(["PatientID"]).save("./table")
second = ml_client.data.create_or_update(Data(name="diabetes-table", type=AssetTypes.MLTABLE, path="./table"))
print("diabetes-table version", second.version)

# %%
v1 = mltable.load("azureml:diabetes-table:1").to_pandas_dataframe()
print(list(v1.columns))
