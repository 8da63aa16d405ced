"""Checks for the experiments-runs lab."""
from labs.checks import check, expect


@check("An interactive run in diabetes-explore logged observations", points=2,
       hint="run = Experiment(ws, 'diabetes-explore').start_logging(); run.log('observations', len(df)); run.complete()")
def interactive_run(ctx):
    run = ctx.job("diabetes-explore", kind="interactive")
    value = ctx.metric(run, "observations")
    expect(value == 10000, f"observations is {value:g}; log the number of rows of data/diabetes.csv (10,000).")


@check("The training script ran as a completed run in diabetes-training", points=2,
       hint="Experiment(ws, 'diabetes-training').submit(ScriptRunConfig(source_directory='src', script='train.py', ...)), then run.wait_for_completion()")
def script_run_completed(ctx):
    ctx.job("diabetes-training", kind="script")


@check("The script read --reg-rate and logged it", points=2,
       hint="parser.add_argument('--reg-rate', type=float, dest='reg_rate'); run.log('Regularization Rate', args.reg_rate); pass arguments=['--reg-rate', 0.1, ...]")
def reg_rate_argument(ctx):
    run = ctx.job("diabetes-training", kind="script")
    arguments = [str(a) for a in run.spec.arguments]
    expect("--reg-rate" in arguments, "Pass the argument '--reg-rate', 0.1 in the ScriptRunConfig's arguments.")
    value = ctx.metric(run, "Regularization Rate")
    expect(abs(value - 0.1) < 1e-9, f"Regularization Rate is {value:g}; the script should log the value it was "
                                    "given (0.1), not a fixed number.")


@check("The run logged its test accuracy", points=1,
       hint="run.log('Accuracy', float(model.score(X_test, y_test)))")
def accuracy_logged(ctx):
    run = ctx.job("diabetes-training", kind="script")
    value = ctx.metric(run, "Accuracy")
    expect(0.6 <= value <= 1.0, f"Accuracy is {value:g}; log the model's accuracy on the test split.")


@check("diabetes-model is registered from the training run", points=2,
       hint="training.register_model(model_name='diabetes-model', model_path='outputs/diabetes_model.pkl', tags={'Training context': 'Script'})")
def model_registered(ctx):
    model, run = ctx.model_from_run("diabetes-model")
    expect(run.experiment == "diabetes-training",
           f"diabetes-model comes from a run of {run.experiment!r}; register it from the diabetes-training run.")
    expect(model.tags.get("Training context") == "Script",
           f"diabetes-model has tags {model.tags}; add the tag 'Training context': 'Script'.")


@check("The registered model predicts diabetes for new patients", points=2,
       hint="Save the fitted model with joblib.dump(model, 'outputs/diabetes_model.pkl') and register that file.")
def model_predicts(ctx):
    accuracy = ctx.accuracy(ctx.model("diabetes-model"), ctx.holdout())
    expect(accuracy >= 0.7, f"The model is right for {accuracy:.0%} of new patients; a trained model gets over 70%.")
