# %% [markdown]
# # Experiments, runs and logged metrics (SDK v1)

# %%
import pandas as pd
from azureml.core import Dataset, Experiment, ScriptRunConfig, Workspace

ws = Workspace.from_config()

# %%
# TODO 1: in experiment "diabetes-explore", start a logging run, log the row count of data/diabetes.csv
#         as "observations", and complete the run

# %%
# TODO 3: submit src/train.py in experiment "diabetes-training" with --reg-rate 0.1 and the dataset
#         "diabetes-tabular" as the named input "training_data"; wait for it

# %%
# TODO 4: register outputs/diabetes_model.pkl of the run as "diabetes-model" (tag "Training context": "Script")
