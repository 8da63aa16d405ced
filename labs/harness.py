"""The child side of a graded run: `python -m labs.harness <limits-json> run|predict ...`.

It first puts resource limits on itself (memory, CPU time, file size, processes; inherited by everything it
starts, including job supervisors), then either runs the learner's entry point as `__main__` — a script, or a
notebook's code cells one after another in one namespace — or, for `predict`, loads a registered model and
scores rows. Limits are set here rather than in a `preexec_fn`, which is unsafe in a threaded grader.
"""
from __future__ import annotations

import json
import os
import resource
import sys
from pathlib import Path


def apply_limits(limits: dict) -> None:
    def cap(kind: int, value: int) -> None:
        try:
            _soft, hard = resource.getrlimit(kind)
            if hard != resource.RLIM_INFINITY:
                value = min(value, hard)
            resource.setrlimit(kind, (value, value if hard == resource.RLIM_INFINITY else hard))
        except (ValueError, OSError):
            pass

    if limits.get("memory_mb"):
        cap(resource.RLIMIT_AS, int(limits["memory_mb"]) * 1024 * 1024)
    if limits.get("cpu_seconds"):
        cap(resource.RLIMIT_CPU, int(limits["cpu_seconds"]))
    if limits.get("file_mb"):
        cap(resource.RLIMIT_FSIZE, int(limits["file_mb"]) * 1024 * 1024)
    if limits.get("nproc"):
        cap(resource.RLIMIT_NPROC, int(limits["nproc"]))
    cap(resource.RLIMIT_CORE, 0)


# -- notebooks ----------------------------------------------------------------------------------------
def notebook_cells(path: Path) -> list[str]:
    """The code cells of an .ipynb file, IPython magics made harmless (see `labs.notebooks.cell_code`)."""
    from labs.notebooks import code_cells

    return code_cells(json.loads(path.read_text(encoding="utf-8")))


def run_notebook(path: Path) -> None:
    from labs.notebooks import cell_filename

    namespace = {"__name__": "__main__", "__file__": str(path), "__builtins__": __builtins__}
    for number, code in enumerate(notebook_cells(path), start=1):
        if not code.strip():
            continue
        marker = os.environ.get("DP100_CELL_FILE")
        if marker:
            try:
                Path(marker).write_text(str(number))
            except OSError:
                pass
        exec(compile(code, cell_filename(path.name, number), "exec"), namespace)


def _pin_sandbox_workspace() -> None:
    """`sandbox.activate(folder)` in a graded notebook must not move it off the grading workspace."""
    try:
        import sandbox
        from sandbox import activation
    except ImportError:
        return
    original = activation.activate

    def activate(workspace=None):  # noqa: ANN001 - mirrors sandbox.activate
        return original(None)

    sandbox.activate = activate  # type: ignore[assignment]
    activation.activate = activate  # type: ignore[assignment]


def run(entry: Path, args: list[str]) -> None:
    entry = entry.resolve()
    sys.argv = [str(entry), *args]
    sys.path[0] = str(entry.parent)
    _pin_sandbox_workspace()
    if entry.suffix == ".ipynb":
        run_notebook(entry)
    else:
        import runpy

        runpy.run_path(str(entry), run_name="__main__")


# -- scoring a registered model -------------------------------------------------------------------------
def find_model_file(path: Path) -> tuple[str, Path]:
    if path.is_dir():
        if (path / "MLmodel").is_file():
            return "mlflow", path
        mlmodels = sorted(path.rglob("MLmodel"))
        if mlmodels:
            return "mlflow", mlmodels[0].parent
        files = sorted(p for p in path.rglob("*") if p.suffix in (".pkl", ".joblib", ".pickle"))
        if len(files) == 1:
            return "joblib", files[0]
        raise SystemExit(f"The model folder holds {len(files)} .pkl/.joblib files and no MLmodel; expected one model.")
    return "joblib", path


def predict(model_path: Path, rows_csv: Path, out_json: Path) -> None:
    import pandas as pd

    frame = pd.read_csv(rows_csv)
    flavor, target = find_model_file(model_path)
    if flavor == "mlflow":
        import mlflow.pyfunc

        model = mlflow.pyfunc.load_model(str(target))
        predictions = model.predict(frame)
    else:
        import joblib

        model = joblib.load(target)
        predictions = model.predict(frame.to_numpy() if _wants_arrays(model) else frame)
    values = getattr(predictions, "to_numpy", lambda: predictions)()
    out_json.write_text(json.dumps([float(v) for v in list(getattr(values, "ravel", lambda: values)())]))


def _wants_arrays(model: object) -> bool:
    """Models fitted on numpy arrays (no feature names) are scored with arrays, as their authors did."""
    return getattr(model, "feature_names_in_", None) is None


def main(argv: list[str]) -> None:
    limits = json.loads(argv[0])
    apply_limits(limits)
    mode = argv[1]
    if mode == "run":
        run(Path(argv[2]), argv[3:])
    elif mode == "predict":
        predict(Path(argv[2]), Path(argv[3]), Path(argv[4]))
    else:
        raise SystemExit(f"unknown mode {mode!r}")


def _print_learner_traceback(exc: BaseException) -> None:
    """The traceback without the harness's own frames, so the learner sees only their code."""
    import traceback

    here = str(Path(__file__).resolve())
    te = traceback.TracebackException(type(exc), exc, exc.__traceback__)
    frames = [f for f in te.stack if f.filename != here and "runpy" not in f.filename]
    te.stack = traceback.StackSummary.from_list(frames)
    sys.stderr.write("".join(te.format()))


if __name__ == "__main__":
    try:
        main(sys.argv[1:])
    except SystemExit:
        raise
    except BaseException as error:  # the learner's exception: report it like Python would, minus our frames
        _print_learner_traceback(error)
        sys.stderr.flush()
        sys.exit(1)
