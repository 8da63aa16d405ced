"""`az ml job`: submit YAML jobs (`create --file job.yml [--stream] [--set k=v] [--web]`), follow, list, download
and cancel them. Submission goes through `load_job` and `ml_client.jobs.create_or_update`, like the SDK."""
from __future__ import annotations

from typing import Any

from azure.cli.commands import WORKSPACE_ARGS, arg, command
from azure.cli.context import CLIError, Context
from azure.cli.ml import client, dump, overrides

_NAME = arg("--name", "-n", required=True)


def _dump(job: Any, args: Any) -> dict:
    data = dump(job, args, f"{job.type}Job" if getattr(job, "type", None) else None,
                drop=("studio_url", "services"))
    data["type"] = job.type
    data["services"] = {"Studio": {"endpoint": job.studio_url, "job_service_type": "Studio"}}
    if "environment" in data and isinstance(data["environment"], str) and not data["environment"].startswith(
            ("azureml:", "/subscriptions")):
        data["environment"] = f"azureml:{data['environment']}"
    if data.get("compute") and not str(data["compute"]).startswith("azureml:") and data["compute"] != "serverless":
        data["compute"] = f"azureml:{data['compute']}"
    return data


def _open(url: str) -> None:
    print(f"Web View: {url}")


@command("ml job create", arg("--file", "-f", required=True), arg("--name", "-n"), arg("--stream", "-s",
         action="store_true"), arg("--web", "-e", action="store_true"), arg("--set", action="append"),
         arg("--save-as", "-a"), arg("--experiment-name"), arg("--skip-validation", action="store_true"),
         scope=WORKSPACE_ARGS)
def create(ctx: Context, args: Any) -> dict:
    """Submit a job described by a YAML file."""
    from azure.ai.ml import load_job

    job = load_job(args.file, params_override=overrides(args))
    if args.name:
        job.name = args.name
    if args.experiment_name:
        job.experiment_name = args.experiment_name
    ml = client(ctx, args)
    created = ml.jobs.create_or_update(job)
    if args.save_as:
        import yaml

        with open(args.save_as, "w", encoding="utf-8") as handle:
            yaml.safe_dump(_dump(created, args), handle, sort_keys=False)
    if args.web:
        _open(created.studio_url)
    if args.stream:
        _stream(ml, created.name)
        created = ml.jobs.get(created.name)
    return _dump(created, args)


def _stream(ml: Any, name: str) -> None:
    import sys

    try:
        ml.jobs.stream(name)
    except Exception as exc:  # noqa: BLE001 - a failed job is reported, then its details are printed
        if type(exc).__name__ != "JobException":
            raise
        sys.stdout.flush()
        print(f"ERROR: {exc}", file=sys.stderr)


@command("ml job show", _NAME, arg("--web", "-e", action="store_true"), scope=WORKSPACE_ARGS,
         table=("name:Name", "display_name:DisplayName", "type:Type", "status:Status", "compute:Compute",
                "experiment_name:Experiment"))
def show(ctx: Context, args: Any) -> dict:
    """Show a job's details."""
    job = client(ctx, args).jobs.get(args.name)
    if args.web:
        _open(job.studio_url)
    return _dump(job, args)


@command("ml job list", arg("--max-results", "-r", type=int, default=50), arg("--parent-job-name", "-p"),
         arg("--all-results", action="store_true"), arg("--archived-only", action="store_true"),
         arg("--include-archived", action="store_true"), scope=WORKSPACE_ARGS,
         table=("name:Name", "display_name:DisplayName", "type:Type", "status:Status", "compute:Compute",
                "experiment_name:Experiment"))
def list_(ctx: Context, args: Any) -> list[dict]:
    """List jobs in a workspace (newest first)."""
    jobs = [_dump(j, args) for j in client(ctx, args).jobs.list(parent_job_name=args.parent_job_name)]
    return jobs if args.all_results else jobs[: args.max_results]


@command("ml job stream", _NAME, scope=WORKSPACE_ARGS)
def stream(ctx: Context, args: Any) -> None:
    """Follow a job's log until it ends."""
    ml = client(ctx, args)
    ml.jobs.get(args.name)
    ml.jobs.stream(args.name)
    return None


@command("ml job download", _NAME, arg("--download-path", "-p", default="."), arg("--output-name"),
         arg("--all", action="store_true"), scope=WORKSPACE_ARGS)
def download(ctx: Context, args: Any) -> None:
    """Download a finished job's logs and outputs."""
    client(ctx, args).jobs.download(args.name, download_path=args.download_path, output_name=args.output_name,
                                    all=args.all)
    return None


@command("ml job cancel", _NAME, scope=WORKSPACE_ARGS)
def cancel(ctx: Context, args: Any) -> None:
    """Cancel a job."""
    ml = client(ctx, args)
    job = ml.jobs.get(args.name)
    if job.status in ("Completed", "Failed", "Canceled"):
        raise CLIError(f"Cannot cancel job {args.name}: it is already {job.status}.")
    ml.jobs.begin_cancel(args.name)
    return None


@command("ml job archive", _NAME, scope=WORKSPACE_ARGS)
def archive(ctx: Context, args: Any) -> None:
    """Archive a job (hidden from `list`)."""
    ml = client(ctx, args)
    ml.jobs.get(args.name)
    ml.jobs.archive(args.name)
    return None


@command("ml job validate", arg("--file", "-f", required=True), arg("--set", action="append"), scope=WORKSPACE_ARGS)
def validate(ctx: Context, args: Any) -> dict:
    """Check a job YAML file without submitting it."""
    from azure.ai.ml import load_job

    load_job(args.file, params_override=overrides(args))
    return {"result": "Succeeded", "errors": [], "warnings": []}
