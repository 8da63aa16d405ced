"""`az ml data`: data assets (uri_file, uri_folder, mltable) from YAML or flags."""
from __future__ import annotations

from typing import Any

from azure.cli.commands import WORKSPACE_ARGS, arg, command
from azure.cli.context import Context
from azure.cli.ml import client, dump
from azure.cli.ml._assets import load_or_build, versioned

versioned("data", "data", "data", "a data asset")


@command("ml data create", arg("--file", "-f"), arg("--name", "-n"), arg("--version", "-v"), arg("--path", "-p"),
         arg("--type", "-t", choices=("uri_file", "uri_folder", "mltable")), arg("--description", "-d"),
         arg("--datastore"), arg("--set", action="append"), arg("--skip-validation", action="store_true"),
         scope=WORKSPACE_ARGS)
def create(ctx: Context, args: Any) -> dict:
    """Create a data asset (local files are uploaded to the default datastore)."""
    import os

    from azure.ai.ml import load_data
    from azure.ai.ml.entities import Data

    def build() -> Any:
        path = args.path if "://" in args.path or args.path.startswith("azureml:") else os.path.abspath(args.path)
        return Data(name=args.name, version=args.version, path=path, type=args.type or "uri_folder",
                    description=args.description)

    data = load_or_build(args, load_data, build, ("name", "path"))
    if args.type and args.file:
        data.type = args.type
    return dump(client(ctx, args).data.create_or_update(data), args, "data")
