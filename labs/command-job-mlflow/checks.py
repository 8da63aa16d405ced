"""Checks for the command-job-mlflow lab."""
from labs.checks import check, expect, fail

EXPERIMENT = "diabetes-mlflow"


def _completed(ctx):
    ctx.job(EXPERIMENT, kind="command")
    return [j for j in ctx.jobs(EXPERIMENT, kind="command") if j.status == "Completed"]


@check("A command job in diabetes-mlflow completed", points=2,
       hint="ml_client.jobs.create_or_update(command(code='./src', command='python train.py ...', experiment_name='diabetes-mlflow', ...)), then ml_client.jobs.stream(job.name)")
def job_completed(ctx):
    _completed(ctx)


@check("The job takes the data and the rate as inputs", points=2,
       hint="inputs={'training_data': Input(type=AssetTypes.URI_FILE, path='./data/diabetes.csv'), 'reg_rate': 1.0}, used in the command as ${{inputs.training_data}} and ${{inputs.reg_rate}}")
def job_inputs(ctx):
    job = _completed(ctx)[0]
    inputs = job.spec.inputs
    data = inputs.get("training_data")
    expect(data is not None and data.kind == "data" and data.type == "uri_file",
           "Give the job an input named training_data of type uri_file (Input(type=AssetTypes.URI_FILE, path=...)).")
    expect(inputs.get("reg_rate") is not None and inputs["reg_rate"].kind == "literal",
           "Give the job an input named reg_rate holding the number, e.g. 'reg_rate': 0.01.")
    command = job.spec.command or ""
    for name in ("training_data", "reg_rate"):
        expect("${{inputs.%s}}" % name in command, f"Use ${{{{inputs.{name}}}}} in the command so the job passes it to train.py.")


@check("Autologging recorded the model's training metrics", points=2,
       hint="Call mlflow.sklearn.autolog() in train.py before model.fit(...).")
def autologged(ctx):
    job = _completed(ctx)[0]
    metrics = ctx.metrics(job)
    expect(any(name.startswith("training_") for name in metrics),
           f"The run logged only {sorted(metrics) or 'nothing'}; with autologging on, fit() logs training_accuracy_score and more.")
    expect("C" in ctx.params(job), "Autologging records the estimator's parameters (such as C); turn it on before fit().")


@check("train.py logs the test AUC as a metric", points=2,
       hint="mlflow.log_metric('AUC', roc_auc_score(y_test, model.predict_proba(X_test)[:, 1]))")
def custom_metric(ctx):
    ctx.run_with_metric("AUC", at_least=0.75, experiment=EXPERIMENT, kind="command")


@check("Two runs with different reg_rate values", points=1,
       hint="Submit the job twice, with reg_rate 1.0 and 0.01.")
def two_runs(ctx):
    rates = {str(getattr(j.spec.inputs.get("reg_rate"), "value", None)) for j in _completed(ctx)}
    expect(len(rates) >= 2, f"Completed runs used reg_rate {sorted(rates)}; run the job with two different values.")


@check("The run with the highest AUC is tagged best=yes (and only it)", points=2,
       hint="runs = mlflow.search_runs(experiment_names=['diabetes-mlflow'], order_by=['metrics.AUC DESC']); MlflowClient().set_tag(runs.iloc[0]['run_id'], 'best', 'yes')")
def best_run_tagged(ctx):
    from sandbox import tracking

    scored = []
    for job in _completed(ctx):
        auc = ctx.metrics(job).get("AUC")
        if auc is not None:
            scored.append((auc[-1] if isinstance(auc, list) else auc, job))
    expect(scored, "No completed run logged AUC, so there is no best run yet.")
    tagged = [job for _, job in scored if tracking.get_tags(ctx.ws, job.name).get("best") == "yes"]
    expect(tagged, "No run has the tag best=yes. Find the best run with mlflow.search_runs and tag it.")
    top = max(value for value, _ in scored)
    if len(tagged) > 1:
        fail("More than one run is tagged best=yes; tag only the run with the highest AUC.")
    value = next(v for v, j in scored if j.name == tagged[0].name)
    expect(value >= top - 1e-12, f"The tagged run has AUC {value:.4f}, but another run reached {top:.4f}. "
                                 "Order the runs by metrics.AUC DESC and tag the first.")
    expect(ctx.calls("search_runs"), "Find the best run with mlflow.search_runs(...) rather than by hand.")
