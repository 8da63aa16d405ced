# %% [markdown]
# # Experiments, runs and logged metrics (SDK v1)

# %%
import pandas as pd
from azureml.core import Dataset, Experiment, ScriptRunConfig, Workspace

ws = Workspace.from_config()

# %%
explore = Experiment(workspace=ws, name="diabetes-explore")
run = explore.start_logging()
data = pd.read_csv("data/diabetes.csv")
run.log("observations", len(data))
run.complete()

# %%
dataset = Dataset.get_by_name(ws, name="diabetes-tabular")
config = ScriptRunConfig(
    source_directory="src",
    script="train.py",
    arguments=["--reg-rate", 0.1, "--input-data", dataset.as_named_input("training_data")],
    compute_target="local",
)
training = Experiment(workspace=ws, name="diabetes-training").submit(config)
training.wait_for_completion(show_output=True)
print(training.get_metrics())

# %%
model = training.register_model(model_name="diabetes-model", model_path="outputs/diabetes_model.pkl",
                                tags={"Training context": "Script"})
print("Registered", model.name, "version", model.version)
