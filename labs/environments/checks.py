"""Checks for the environments lab."""
from labs.checks import CheckFailed, check, expect

ENV = "diabetes-env"
CURATED = "AzureML-sklearn-1.5"


def _env_name(ctx, ref):
    """The registered name behind a job's environment reference (None when it cannot be resolved)."""
    from sandbox import environments

    if not ref:
        return None
    try:
        return environments.resolve(ctx.ws, ref).name
    except Exception:  # noqa: BLE001 - an unresolvable reference simply matches nothing
        return None


def _jobs_with(ctx, name):
    return [j for j in ctx.jobs(kind="command") if (_env_name(ctx, j.environment) or "").lower() == name.lower()]


def _completed_with(ctx, name, how):
    found = _jobs_with(ctx, name)
    expect(found, f"No command job used the environment {name}. {how}")
    done = [j for j in found if j.status == "Completed"]
    if not done:
        latest = found[0]
        reason = f" ({latest.error.get('message')})" if latest.error else ""
        raise CheckFailed(f"Your job with {name} ended {latest.status}{reason}. Read its log "
                          "(user_logs/std_log.txt) and fix the environment or the job.")
    return done[0]


@check("diabetes-env is registered with pandas and scikit-learn", points=3,
       hint="List pandas and scikit-learn under the pip section of env/diabetes-conda.yml, then "
            "ml_client.environments.create_or_update(Environment(name='diabetes-env', image=..., conda_file=...)).")
def env_registered(ctx):
    for package in ("scikit-learn", "pandas"):
        ctx.environment_has_package(ENV, package)


@check("diabetes-env is a base image plus a conda file", points=1,
       hint="Environment(name='diabetes-env', image='mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04:latest', "
            "conda_file='./env/diabetes-conda.yml')")
def env_from_conda_file(ctx):
    env = ctx.environment(ENV)
    expect(env.definition.conda, "diabetes-env has no conda specification; pass conda_file='./env/diabetes-conda.yml'.")
    expect(env.definition.image and not env.definition.dockerfile,
           "Build diabetes-env from a base image (image=...) and the conda file, not from a Dockerfile.")


@check("A job with diabetes-env completed", points=3,
       hint="ml_client.jobs.create_or_update(training_job('diabetes-env@latest')) and wait for it.")
def custom_env_job(ctx):
    _completed_with(ctx, ENV, "Pass environment='diabetes-env@latest' (or 'azureml:diabetes-env:1') to command(...).")


@check("The same job with the curated AzureML-sklearn-1.5 environment completed", points=2,
       hint="Curated environments need no registration: environment='AzureML-sklearn-1.5@latest'.")
def curated_env_job(ctx):
    job = _completed_with(ctx, CURATED, "Pass environment='AzureML-sklearn-1.5@latest' to command(...).")
    expect("train.py" in str(job.spec.command or ""),
           "Run the same training command (python train.py ...) with the curated environment.")
