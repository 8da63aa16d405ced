"""`az ml model`: registered models (custom, MLflow, Triton)."""
from __future__ import annotations

import os
from typing import Any

from azure.cli.commands import WORKSPACE_ARGS, arg, command
from azure.cli.context import Context
from azure.cli.ml import client, dump
from azure.cli.ml._assets import load_or_build, versioned

versioned("model", "models", "model", "a model")


@command("ml model create", arg("--file", "-f"), arg("--name", "-n"), arg("--version", "-v"), arg("--path", "-p"),
         arg("--type", "-t", choices=("custom_model", "mlflow_model", "triton_model")), arg("--description", "-d"),
         arg("--tags", nargs="*"), arg("--stage", "-s"), arg("--set", action="append"), scope=WORKSPACE_ARGS)
def create(ctx: Context, args: Any) -> dict:
    """Register a model from a local path, a job's outputs or a YAML file."""
    from azure.ai.ml import load_model
    from azure.ai.ml.entities import Model

    def build() -> Any:
        path = args.path if ":" in args.path.split("/")[0] else os.path.abspath(args.path)
        return Model(name=args.name, version=args.version, path=path, type=args.type or "custom_model",
                     description=args.description, stage=args.stage)

    model = load_or_build(args, load_model, build, ("name", "path"))
    if args.type and args.file:
        model.type = args.type
    return dump(client(ctx, args).models.create_or_update(model), args, "model", drop=("_local_path",))


@command("ml model download", arg("--name", "-n", required=True), arg("--version", "-v", required=True),
         arg("--download-path", "-p", default="."), scope=WORKSPACE_ARGS)
def download(ctx: Context, args: Any) -> None:
    """Download a model's files."""
    client(ctx, args).models.download(args.name, args.version, download_path=args.download_path)
    return None
