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


def register(app: typer.Typer) -> None:
    from course.commands import security

    security.register(sandbox_app)
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
    """What the sandbox workspace holds: its coordinates and how many of each kind."""
    from sandbox import domains
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
        "counts": domains.counts(ws),
    }
    if as_json:
        print(json.dumps(info, indent=2))
        return
    table = Table(show_header=False, box=None)
    table.add_column(style="bold")
    table.add_column(overflow="fold")
    for key in ("workspace", "subscription_id", "resource_group", "location", "path"):
        table.add_row(key.replace("_", " "), str(info[key]))
    for kind, number in info["counts"].items():
        table.add_row(kind, str(number))
    console.print(table)


def _kinds_help() -> str:
    from sandbox import domains

    return ", ".join(domains.kinds())


@sandbox_app.command("ls")
def ls(
    kind: Optional[str] = typer.Argument(None, help="What to list (leave out to see the kinds)."),
    name: Optional[str] = typer.Argument(None, help="A name: its versions, files or jobs (see the kinds)."),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output."),
) -> None:
    """List what the workspace holds: datastores, data, datasets, jobs, models, environments, compute, ..."""
    from sandbox import domains

    if kind is None:
        table = Table("kind", "with NAME", box=None)
        for domain in domains.DOMAINS:
            table.add_row(domain.kind, domain.name_help or "—")
        console.print(table)
        console.print("Example: [bold]dp100 sandbox ls jobs[/bold]")
        return
    try:
        domain = domains.get(kind)
    except KeyError as exc:
        console.print(f"[red]{exc.args[0]}[/red]")
        raise typer.Exit(2)
    rows = domain.rows(_open(), name)
    if as_json:
        print(json.dumps(rows, indent=2, default=str))
        return
    if not rows:
        console.print(f"No {kind} yet." if name is None else f"No {kind} for {name!r}.")
        return
    console.print(rows_table(rows))


KEEP = ("name", "id", "version", "status", "state")  # never dropped: what the learner types or looks for


def rows_table(rows: list[dict], width: int | None = None) -> Table:
    """A table that never cuts what the learner must type. Names and ids stay whole; when the terminal is too
    narrow, the right-most other columns are dropped (the `--json` output has them all)."""
    width = width or console.width
    cells = [{k: _cell(v) for k, v in row.items()} for row in rows]
    columns = list(rows[0].keys())

    def needed(cols: list[str]) -> int:  # names stay whole; other text may fold onto lines of ~20 characters
        return sum(min(max(len(c), *(len(r[c]) for r in cells)), 10**6 if c in KEEP else 20) + 3 for c in cols) + 1

    dropped = []
    while needed(columns) > width and any(c not in KEEP for c in columns[1:]):
        victim = next(c for c in reversed(columns) if c not in KEEP)
        columns.remove(victim)
        dropped.append(victim)
    table = Table(expand=False, caption=f"(not shown: {', '.join(reversed(dropped))}; --json shows all)"
                  if dropped else None)
    for key in columns:
        table.add_column(key, overflow="fold", no_wrap=key in KEEP)
    for row in cells:
        table.add_row(*(row[k] for k in columns))
    return table


def _cell(value: object) -> str:
    if value is None:
        return "—"
    text = str(value)
    if len(text) >= 19 and text[4:5] == "-" and text[10:11] == "T":  # ISO timestamps: to the minute
        return text[:16].replace("T", " ")
    return text


@sandbox_app.command("coverage")
def coverage(as_json: bool = typer.Option(False, "--json", help="Machine-readable output.")) -> None:
    """Which parts of the real Azure ML SDKs (v1, v2) the sandbox emulates, and which not yet."""
    from sandbox import coverage as cov

    rows = cov.rows()
    if as_json:
        print(json.dumps(rows, indent=2))
        return
    table = Table("module", "SDK", "status", "what", box=None)
    for row in rows:
        style = "green" if row["status"] == "emulated" else "yellow"
        table.add_row(row["module"], row["sdk"], f"[{style}]{row['status']}[/{style}]", row["what"])
    console.print(table)
    console.print("The Azure ML CLI v2 (`az ml ...`) runs inside [bold]dp100 shell[/bold] and as [bold]dp100 az[/bold]; "
                  "`az ml --help` lists its command groups.")


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
