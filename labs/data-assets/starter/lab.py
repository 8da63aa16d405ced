# %% [markdown]
# # Data assets: uri_file, uri_folder and mltable (SDK v2)

# %%
import mltable
from azure.ai.ml import MLClient
from azure.ai.ml.constants import AssetTypes
from azure.ai.ml.entities import Data
from azure.identity import DefaultAzureCredential

# TODO 1: connect
ml_client = None

# %%
# TODO 2: uri_file asset "diabetes-file", version "1", from ./data/diabetes.csv

# %%
# TODO 3: uri_folder asset "diabetes-folder", version "1", from ./data

# %%
# TODO 4: describe ./table/diabetes.csv with mltable, save it into ./table,
#         and register ./table as the mltable asset "diabetes-table" (no version)

# %%
# TODO 5: save the table without PatientID into ./table and register "diabetes-table" again (no version)

# %%
# TODO 6: load version 1 of diabetes-table and print its columns
