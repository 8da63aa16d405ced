"""`az ml environment`: custom environments (image + conda file, or a Docker build context)."""
from __future__ import annotations

import os
from typing import Any

from azure.cli.commands import WORKSPACE_ARGS, arg, command
from azure.cli.context import Context
from azure.cli.ml import client, dump
from azure.cli.ml._assets import load_or_build, versioned

versioned("environment", "environments", "environment", "an environment")


@command("ml environment create", arg("--file", "-f"), arg("--name", "-n"), arg("--version", "-v"),
         arg("--image", "-i"), arg("--conda-file", "-c"), arg("--build-context", "-b"), arg("--dockerfile-path", "-d"),
         arg("--description"), arg("--os-type"), arg("--tags", nargs="*"), arg("--set", action="append"),
         scope=WORKSPACE_ARGS)
def create(ctx: Context, args: Any) -> dict:
    """Create an environment from a YAML file or from flags."""
    from azure.ai.ml import load_environment
    from azure.ai.ml.entities import BuildContext, Environment

    def build() -> Any:
        context = BuildContext(path=os.path.abspath(args.build_context),
                               dockerfile_path=args.dockerfile_path) if args.build_context else None
        conda = os.path.abspath(args.conda_file) if args.conda_file else None
        return Environment(name=args.name, version=args.version, image=args.image, conda_file=conda, build=context,
                           description=args.description)

    env = load_or_build(args, load_environment, build, ("name",))
    return dump(client(ctx, args).environments.create_or_update(env), args, "environment")
