"""Checks for the models lab."""
from labs.checks import check, expect


def _versions(ctx):
    ctx.model("diabetes-mlflow")
    return ctx.model_versions("diabetes-mlflow")


@check("The training job completed with a model_output output", points=2,
       hint="outputs={'model_output': Output(type=AssetTypes.URI_FOLDER)} and '--model_output ${{outputs.model_output}}' in the command")
def job_with_output(ctx):
    job = ctx.job("diabetes-models", kind="command")
    expect("model_output" in job.spec.outputs,
           "Give the job an output named model_output (Output(type=AssetTypes.URI_FOLDER)).")
    expect("${{outputs.model_output}}" in (job.spec.command or ""),
           "Pass ${{outputs.model_output}} to train.py as --model_output.")


@check("Version 1 of diabetes-mlflow is the MLflow model from the job's output", points=2,
       hint="Model(name='diabetes-mlflow', type=AssetTypes.MLFLOW_MODEL, path=f'azureml://jobs/{job.name}/outputs/model_output/paths/model/')")
def registered_from_job(ctx):
    first = _versions(ctx)[0]
    expect(first.type == "mlflow_model", f"Version {first.version} is a {first.type}; register it with type=AssetTypes.MLFLOW_MODEL.")
    model, run = ctx.model_from_run("diabetes-mlflow", first.version)
    expect(run.experiment == "diabetes-models" and run.status == "Completed",
           "Register version 1 from the output of the completed diabetes-models job.")


@check("Version 2 comes from the downloaded local folder", points=2,
       hint="ml_client.jobs.download(job.name, download_path='./downloaded', output_name='model_output'), then register ./downloaded/named-outputs/model_output/model")
def registered_from_folder(ctx):
    versions = _versions(ctx)
    expect(len(versions) >= 2, f"diabetes-mlflow has {len(versions)} version(s); register it again from the local folder.")
    second = versions[1]
    expect(second.type == "mlflow_model", f"Version {second.version} is a {second.type}; use type=AssetTypes.MLFLOW_MODEL.")
    expect(not second.run_id, "Version 2 was registered from the job again; register the downloaded local folder instead.")


@check("The versions carry the tags source=job and source=local", points=1,
       hint="tags={'source': 'job'} on the first Model(...), tags={'source': 'local'} on the second")
def tags(ctx):
    versions = _versions(ctx)
    found = [v.tags.get("source") for v in versions[:2]]
    expect(found == ["job", "local"] or found[:1] == ["job"] and len(found) == 1 and False,
           f"The tags 'source' of versions 1 and 2 are {found}; they should be ['job', 'local'].")


@check("The latest version predicts diabetes for new patients", points=2,
       hint="Register the folder that holds the MLmodel file (the 'model' folder), not its parent.")
def latest_predicts(ctx):
    accuracy = ctx.accuracy(ctx.model("diabetes-mlflow"), ctx.holdout())
    expect(accuracy >= 0.7, f"The latest model is right for {accuracy:.0%} of new patients; expected over 70%.")
