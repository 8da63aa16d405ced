"""Checks for the troubleshooting lab."""
from labs.checks import check, expect

EXPERIMENT = "diabetes-troubleshooting"


@check("The latest job completes", points=3,
       hint="Read the end of the job's user_logs/std_log.txt: it names the error and the line of train.py.")
def latest_job_completed(ctx):
    latest = ctx.job(EXPERIMENT, kind="command", completed=False)
    if latest.status != "Completed":
        tail = ((latest.error or {}).get("log_tail") or "").strip().splitlines()[-3:]
        shown = ("\n  " + "\n  ".join(tail)) if tail else ""
        expect(False, f"The latest job ended {latest.status}. The end of its log:{shown}")


@check("The job still gets its data and depth from the command", points=1,
       hint="Keep lab.py as it is; make train.py accept --training_data and --max_depth.")
def job_definition_kept(ctx):
    latest = ctx.job(EXPERIMENT, kind="command", completed=False)
    command = latest.spec.command or ""
    expect("--training_data ${{inputs.training_data}}" in command and "--max_depth ${{inputs.max_depth}}" in command,
           "The job's command changed. Keep lab.py as given and fix train.py to accept its arguments.")


@check("The fixed job logs its accuracy", points=2,
       hint="The script logs accuracy at the end; it runs once the errors before it are fixed.")
def accuracy_logged(ctx):
    latest = ctx.job(EXPERIMENT, kind="command")
    value = ctx.metric(latest, "accuracy")
    expect(0.6 <= value <= 1.0, f"accuracy is {value:g}; it should be the model's test accuracy.")


@check("The model in outputs/ predicts diabetes", points=2,
       hint="Train on the real label column (Diabetic) and keep joblib.dump(model, 'outputs/model.pkl').")
def model_works(ctx):
    from sandbox import runs

    latest = ctx.job(EXPERIMENT, kind="command")
    expect("outputs/model.pkl" in ctx.run_files(latest), "The job saved no outputs/model.pkl; keep the joblib.dump line.")
    path = runs.artifacts_dir(ctx.ws, latest.name) / "outputs" / "model.pkl"
    holdout = ctx.holdout()
    predictions = ctx.predictor(path, holdout.drop(columns=["Diabetic"]))
    accuracy = float(((predictions >= 0.5).astype(int) == holdout["Diabetic"].to_numpy()).mean())
    expect(accuracy >= 0.7, f"The saved model is right for {accuracy:.0%} of new patients; expected over 70%.")
