"""`dp100 sandbox …`: create, inspect and reset the local Azure ML workspace."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.table import Table

sandbox_app = typer.Typer(help="The local sandbox workspace: init, status, ls, config, reset.", no_args_is_help=True)
console = Console()

KINDS = ("datastores", "data", "datasets", "jobs", "models", "environments", "compute")


def register(app: typer.Typer) -> None:
    app.add_typer(sandbox_app, name="sandbox")


def _open():
    from sandbox.home import workspace_dir
    from sandbox.workspace import Workspace

    return Workspace.open_or_create(workspace_dir())


@sandbox_app.command("init")
def init(name: str = typer.Option("dp100-workspace", help="Workspace name (goes into config.json).")) -> None:
    """Create the sandbox workspace (does nothing if it exists)."""
    from sandbox.home import workspace_dir
    from sandbox.workspace import Workspace

    folder = workspace_dir()
    if Workspace.exists(folder):
        ws = Workspace.open(folder)
        console.print(f"Sandbox workspace [cyan]{ws.name}[/cyan] already exists at {folder}.")
        return
    ws = Workspace.create(folder, name=name)
    console.print(f"Created sandbox workspace [cyan]{ws.name}[/cyan] at {folder}.")
    console.print("Next: [bold]dp100 sandbox config[/bold] in your project folder, then [bold]dp100 run script.py[/bold].")


@sandbox_app.command("status")
def status(as_json: bool = typer.Option(False, "--json", help="Machine-readable output.")) -> None:
    """What the sandbox workspace holds."""
    from sandbox import data, datasets, datastores
    from sandbox.home import workspace_dir
    from sandbox.workspace import Workspace

    folder = workspace_dir()
    if not Workspace.exists(folder):
        info = {"workspace": None, "path": str(folder), "exists": False}
        if as_json:
            print(json.dumps(info))
        else:
            console.print(f"No sandbox workspace yet at {folder}. Create it with [bold]dp100 sandbox init[/bold].")
        return
    ws = Workspace.open(folder)
    info = {
        "exists": True,
        "workspace": ws.name,
        "subscription_id": ws.subscription_id,
        "resource_group": ws.resource_group,
        "location": ws.location,
        "path": str(folder),
        "counts": {
            "datastores": len(datastores.list_all(ws)),
            "datasets": len(datasets.list_latest(ws)),
            "data": len(data.list_assets(ws)),
        },
    }
    if as_json:
        print(json.dumps(info, indent=2))
        return
    table = Table(show_header=False, box=None)
    for key in ("workspace", "subscription_id", "resource_group", "location", "path"):
        table.add_row(key.replace("_", " "), str(info[key]))
    for key, value in info["counts"].items():
        table.add_row(key, str(value))
    console.print(table)


@sandbox_app.command("ls")
def ls(
    kind: str = typer.Argument(..., help=f"What to list: {', '.join(KINDS)}."),
    name: Optional[str] = typer.Argument(None, help="A name: its versions (data, datasets) or files (datastores)."),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output."),
) -> None:
    """List datastores, data assets (v2), datasets (v1), jobs or models."""
    from sandbox import data, datasets, datastores

    if kind not in KINDS:
        console.print(f"[red]Unknown kind {kind!r}.[/red] Choose one of: {', '.join(KINDS)}.")
        raise typer.Exit(2)
    ws = _open()
    rows: list[dict]
    if kind == "datastores" and name:
        rows = [{"path": p} for p in datastores.list_files(ws, name)]
    elif kind == "datastores":
        rows = [{"name": d.name, "type": d.kind, "account": d.account_name, "container": d.container,
                 "credentials": d.credential_type, "default": d.is_default} for d in datastores.list_all(ws)]
    elif kind == "data":
        rows = [{"name": a.name, "version": a.version, "type": a.type, "path": a.path, "created": a.created}
                for a in data.list_assets(ws, name)]
    elif kind == "jobs":
        from sandbox import jobs

        rows = [{"name": j.name, "experiment": j.experiment, "status": j.status, "kind": j.kind, "sdk": j.sdk,
                 "compute": j.compute, "created": j.created} for j in jobs.list_jobs(ws, experiment=name)]
    elif kind == "models":
        from sandbox import models

        rows = [{"name": m.name, "version": m.version, "type": m.type, "run": m.run_id, "created": m.created}
                for m in models.list_models(ws, name)]
    elif kind == "environments":
        from sandbox import environments

        rows = [{"name": e.name, "version": e.version, "curated": e.curated, "created": e.created}
                for e in environments.list_environments(ws, name)]
    elif kind == "compute":
        from sandbox import compute

        rows = [{"name": c.name, "type": c.kind, "size": c.size, "state": c.state or c.provisioning_state,
                 "nodes": f"{c.current_node_count}/{c.max_nodes}"} for c in compute.list_computes(ws)]
    else:
        regs = datasets.list_versions(ws, name) if name else datasets.list_latest(ws)
        rows = [{"name": r.name, "version": r.version, "kind": r.definition.kind, "id": r.dataset_id,
                 "created": r.created} for r in regs]
    if as_json:
        print(json.dumps(rows, indent=2))
        return
    if not rows:
        console.print(f"No {kind} yet.")
        return
    table = Table(*rows[0].keys())
    for row in rows:
        table.add_row(*(str(v) for v in row.values()))
    console.print(table)


@sandbox_app.command("config")
def config(
    path: Path = typer.Argument(Path("."), help="Folder to write config.json into."),
) -> None:
    """Write config.json so Workspace.from_config() / MLClient.from_config() find the sandbox."""
    from sandbox import config as cfg

    ws = _open()
    target = cfg.write(ws, path)
    console.print(f"Wrote {target} for workspace [cyan]{ws.name}[/cyan].")


@sandbox_app.command("clock")
def clock_cmd(
    action: str = typer.Argument("show", help="show | virtual (freeze) | real (run on) | advance | reset (plain real time)"),
    seconds: float = typer.Argument(0.0, help="For advance: how many seconds to move the virtual clock."),
) -> None:
    """The sandbox clock: switch to virtual time and advance it to watch idle clusters scale down."""
    from sandbox import clock

    ws = _open()
    if action == "virtual":
        clock.set_virtual(ws, True)
    elif action == "real":
        clock.set_virtual(ws, False)
    elif action == "advance":
        clock.advance(ws, seconds)
    elif action == "reset":
        clock.reset(ws)
    elif action != "show":
        console.print(f"[red]Unknown action {action!r}.[/red] Use show, virtual, real, advance or reset.")
        raise typer.Exit(2)
    kind = "virtual" if clock.is_virtual(ws) else "real"
    console.print(f"Sandbox clock ({kind}): {clock.now(ws).isoformat()}")


@sandbox_app.command("mlflow-uri")
def mlflow_uri() -> None:
    """Print the workspace's MLflow tracking URI (for `mlflow ui --backend-store-uri ...`)."""
    from sandbox import tracking

    ws = _open()
    tracking.ensure_db(ws)
    print(tracking.tracking_uri(ws))


@sandbox_app.command("reset")
def reset(yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask for confirmation.")) -> None:
    """Delete the sandbox workspace and everything in it (your own files elsewhere are kept)."""
    from sandbox.home import workspace_dir
    from sandbox.workspace import Workspace

    folder = workspace_dir()
    if not yes and not typer.confirm(f"Delete the sandbox workspace at {folder} (datastores, data, runs)?"):
        raise typer.Exit(1)
    Workspace.reset(folder)
    Workspace.create(folder)
    console.print(f"Reset the sandbox workspace at {folder}.")
