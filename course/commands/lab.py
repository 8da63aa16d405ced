"""`dp100 lab …` and `dp100 grade`: the terminal front end of the lab engine (`labs`).

All logic lives in `labs`; this module parses options, prints with rich, and records attempts in the learner's
progress file (`course.paths.progress_db()`). Notices go to stderr so `--json` output stays parseable.
"""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.markdown import Markdown
from rich.syntax import Syntax
from rich.table import Table

lab_app = typer.Typer(help="Hands-on labs: list, start, run, check, hint, solution, reset, watch.", no_args_is_help=True)
console = Console(highlight=False)
notices = Console(highlight=False, stderr=True)


def register(app: typer.Typer) -> None:
    app.add_typer(lab_app, name="lab")
    app.command("grade")(grade_class)


def _home() -> Path:
    from sandbox.home import data_home

    return data_home()


def _progress():
    from course.paths import progress_db
    from labs.progress import LabProgress

    return LabProgress(progress_db())


def _catalog():
    from labs.manifest import discover

    catalog = discover()
    for problem in catalog.problems:
        notices.print(f"[yellow]Skipped a broken lab:[/yellow] {problem}")
    return catalog


def _lab(lab_id: str):
    from labs.manifest import LabInvalid, LabNotFound

    try:
        return _catalog().get(lab_id)
    except (LabNotFound, LabInvalid) as exc:
        notices.print(f"[red]{exc}[/red]")
        raise typer.Exit(2)


def _folder(directory: Optional[Path]):
    from labs.folder import LabFolderError, find
    from labs.manifest import LabInvalid, LabNotFound

    try:
        return find(directory)
    except (LabFolderError, LabNotFound, LabInvalid) as exc:
        notices.print(f"[red]{exc}[/red]")
        raise typer.Exit(2)


DIR_OPTION = typer.Option(None, "--dir", "-C", help="The lab folder (default: the current folder or a parent).")


@lab_app.command("list")
def list_labs(topic: Optional[str] = typer.Option(None, "--topic", help="Only labs of this topic (e.g. data)."),
              as_json: bool = typer.Option(False, "--json", help="Machine-readable output.")) -> None:
    """The labs, with your best score in each."""
    catalog = _catalog()
    labs = catalog.by_topic(topic) if topic else catalog.labs
    standings = _progress().standings()
    if as_json:
        rows = []
        for lab in labs:
            row = lab.summary()
            standing = standings.get(lab.id)
            row["best_score"] = standing.best_score if standing and standing.attempts else None
            row["max_score"] = standing.max_score if standing and standing.attempts else None
            row["passed"] = bool(standing and standing.passed)
            rows.append(row)
        print(json.dumps(rows, indent=2))
        return
    if not labs:
        console.print(f"No labs for topic {topic!r}." if topic else "No labs found.")
        return
    table = Table(title="Labs", title_justify="left")
    for column in ("id", "title", "topic", "sdk", "min", "best"):
        table.add_column(column, justify="right" if column in ("min", "best") else "left")
    for lab in labs:
        standing = standings.get(lab.id)
        best = "-"
        if standing and standing.attempts:
            best = f"{standing.best_score}/{standing.max_score}" + (" ✔" if standing.passed else "")
        table.add_row(lab.id, lab.title, lab.topic, lab.sdk, str(lab.manifest.minutes), best)
    console.print(table)
    console.print("Start one with [bold]dp100 lab start <id>[/bold].")


@lab_app.command("start")
def start(lab_id: str = typer.Argument(..., help="The lab id (see `dp100 lab list`)."),
          directory: Optional[Path] = typer.Argument(None, help="Folder to create (default: ./<lab id>)."),
          notebook: bool = typer.Option(False, "--notebook", help="Give the entry point as a Jupyter notebook.")) -> None:
    """Create a lab folder with the starter files, data and config.json, and show the instructions."""
    from labs.folder import LabFolderError
    from labs.folder import start as start_folder

    lab = _lab(lab_id)
    target = directory or Path.cwd() / lab.id
    try:
        folder = start_folder(lab, target, _home(), notebook=notebook)
    except LabFolderError as exc:
        notices.print(f"[red]{exc}[/red]")
        raise typer.Exit(2)
    with _progress() as progress:
        progress.started(lab.id, folder.path.resolve())
    console.print(Markdown(lab.instructions()))
    console.print(f"\nYour lab folder is [cyan]{folder.path}[/cyan]; edit [bold]{folder.entry}[/bold].")
    console.print(f"Next: [bold]cd {folder.path}[/bold], then [bold]dp100 lab run[/bold] and [bold]dp100 lab check[/bold].")
    if notebook:
        console.print("In Jupyter, run the first cell first: it connects the notebook to the lab's sandbox workspace.")


@lab_app.command("run")
def run(directory: Optional[Path] = DIR_OPTION) -> None:
    """Run your code against a fresh copy of the lab's workspace (nothing is graded)."""
    from labs.folder import run as run_folder
    from labs.folder import workspace_dir

    folder = _folder(directory)
    console.print(f"[dim]Running {folder.entry} against a fresh lab workspace...[/dim]")
    outcome = run_folder(folder, _home(), on_output=lambda text: (sys.stdout.write(text), sys.stdout.flush()))
    if outcome.timed_out:
        console.print(f"\n[yellow]Stopped after {folder.lab.manifest.timeout:.0f} s (the time limit).[/yellow]")
    elif outcome.exit_code:
        console.print(f"\n[red]Your code stopped with an error (exit code {outcome.exit_code}).[/red]")
    else:
        console.print("\n[green]Done.[/green] Grade it with [bold]dp100 lab check[/bold].")
    ws = workspace_dir(_home(), folder.lab)
    console.print(f"[dim]Inspect the workspace: DP100_WORKSPACE={ws} dp100 sandbox ls jobs[/dim]")
    raise typer.Exit(0 if outcome.ok else 1)


def _check_once(folder, as_json: bool, verbose: bool) -> int:
    from labs.folder import check as check_folder
    from labs.render import print_result

    if not as_json:
        console.print(f"[dim]Checking {folder.entry} in a fresh lab workspace...[/dim]")
    result = check_folder(folder, _home())
    with _progress() as progress:
        progress.record(result, folder.path.resolve())
    if as_json:
        print(result.to_json())
    else:
        print_result(result, folder.lab, console, show_output=verbose or result.status == "error")
        if result.status != "pass":
            console.print("Stuck? [bold]dp100 lab hint[/bold] shows the next hint.")
    return {"pass": 0, "fail": 1, "error": 1}[result.status]


@lab_app.command("check")
def check(directory: Optional[Path] = DIR_OPTION,
          as_json: bool = typer.Option(False, "--json", help="Print the result as JSON."),
          verbose: bool = typer.Option(False, "--verbose", "-v", help="Also show your code's output.")) -> None:
    """Grade your lab: run it in a fresh workspace and check what it did."""
    raise typer.Exit(_check_once(_folder(directory), as_json, verbose))


@lab_app.command("hint")
def hint(directory: Optional[Path] = DIR_OPTION) -> None:
    """Show the next hint (one more each time)."""
    folder = _folder(directory)
    hints = folder.lab.manifest.hints
    with _progress() as progress:
        index = progress.next_hint(folder.lab.id, len(hints))
    if index is None:
        console.print(f"You have seen all {len(hints)} hints:")
        for number, text in enumerate(hints, start=1):
            console.print(f"  {number}. {text}")
        console.print("Still stuck? [bold]dp100 lab solution[/bold] shows a solution.")
        return
    console.print(f"[bold]Hint {index + 1} of {len(hints)}:[/bold] {hints[index]}")


@lab_app.command("solution")
def solution(directory: Optional[Path] = DIR_OPTION,
             yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask for confirmation.")) -> None:
    """Show a solution (after asking: trying first teaches more)."""
    from labs.folder import solution_files

    folder = _folder(directory)
    if not yes and not typer.confirm("Show the solution? Trying a little longer (or `dp100 lab hint`) teaches more", default=False):
        console.print("Not shown. Good luck!")
        raise typer.Exit(0)
    with _progress() as progress:
        progress.solution_seen(folder.lab.id)
    for name, text in solution_files(folder.lab).items():
        console.rule(name)
        console.print(Syntax(text, "python", line_numbers=False))


@lab_app.command("reset")
def reset(directory: Optional[Path] = DIR_OPTION,
          yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask for confirmation.")) -> None:
    """Start the lab over: your files are replaced by the starter and the workspace is recreated."""
    from labs.folder import reset as reset_folder

    folder = _folder(directory)
    if not yes and not typer.confirm(f"Replace everything in {folder.path} with the starter files?", default=False):
        raise typer.Exit(0)
    reset_folder(folder, _home())
    with _progress() as progress:
        progress.reset_hints(folder.lab.id)
    console.print(f"{folder.path} is back to the starter of [bold]{folder.lab.title}[/bold].")


@lab_app.command("watch")
def watch(directory: Optional[Path] = DIR_OPTION) -> None:
    """Check again every time you save a file in the lab folder (Ctrl+C to stop)."""
    from watchfiles import watch as watch_changes

    folder = _folder(directory)
    _check_once(folder, as_json=False, verbose=False)
    console.print("[dim]Watching for saved changes (Ctrl+C to stop)...[/dim]")
    sys.stdout.flush()  # piped output (tee, an editor's terminal) sees each report at once
    ignored = ("/.git/", "/__pycache__/", "/.ipynb_checkpoints/", "/outputs/", "/downloaded/")
    try:
        for changes in watch_changes(folder.path, debounce=400):
            paths = [p for _, p in changes if not any(part in p + "/" for part in ignored)
                     and p.endswith((".py", ".ipynb", ".yaml", ".yml", ".json", ".txt", ".csv"))]
            if not paths:
                continue
            console.rule(f"{time.strftime('%H:%M:%S')} {Path(paths[0]).name} changed")
            _check_once(folder, as_json=False, verbose=False)
            sys.stdout.flush()
    except KeyboardInterrupt:
        console.print("Stopped watching.")


def grade_class(lab_id: str = typer.Argument(..., help="The lab to grade (see `dp100 lab list`)."),
                submissions: Path = typer.Argument(..., help="A folder with one sub-folder per learner."),
                out: Path = typer.Option(Path("grades.csv"), "--out", "-o", help="The CSV to write."),
                jobs: int = typer.Option(1, "--jobs", "-j", min=1, help="How many submissions to grade at once."),
                reports: Optional[Path] = typer.Option(None, "--reports", help="Folder for the JSON reports "
                                                       "(default: <out>-reports next to the CSV).")) -> None:
    """Grade a class: every sub-folder of SUBMISSIONS is one learner's submission."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from labs.batch import grade_all, submissions as list_submissions

    lab = _lab(lab_id)
    if not submissions.is_dir():
        notices.print(f"[red]{submissions} is not a folder. Give the folder that holds one sub-folder per learner.[/red]")
        raise typer.Exit(2)
    total = len(list_submissions(submissions))
    if total == 0:
        notices.print(f"[red]{submissions} has no sub-folders: put each learner's submission in its own folder.[/red]")
        raise typer.Exit(2)
    with Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=notices) as bar:
        task = bar.add_task(f"Grading {lab.id}", total=total)

        def done(name: str, result) -> None:
            bar.advance(task)
            bar.console.print(f"{name}: {result.status} {result.score}/{result.max_score}")

        batch = grade_all(lab, submissions, out, jobs=jobs, reports_dir=reports, on_result=done)
    counts = batch.counts
    console.print(f"Graded {total} submissions: {counts['pass']} pass, {counts['fail']} fail, {counts['error']} error.")
    console.print(f"Grades: [cyan]{batch.csv_path}[/cyan]; reports: [cyan]{batch.reports_dir}[/cyan]")
