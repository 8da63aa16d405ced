"""Notebooks without Jupyter: reading code cells, making magics harmless, and turning a script into a notebook.

Graded notebooks are executed cell by cell in one Python process (no kernel needed). IPython syntax is handled
so that line numbers stay put: `%load_ext sandbox`, `%pip`, `!shell` and `%matplotlib` lines become `pass`,
except `!az ...`, which runs (the sandbox's Azure CLI, as in Jupyter);
`%%writefile [-a] path` writes the cell's text to the file (as in Jupyter); `%%time` and `%%capture` run the
cell; any other cell magic is refused with a message saying which cell to change.

Scripts use the "percent" cell format (`# %%` starts a code cell, `# %% [markdown]` a markdown cell whose
lines are comments), which editors such as VS Code and Jupytext understand; `to_notebook` turns one into .ipynb.
"""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

_LINE_MAGIC = re.compile(r"^(\s*)(%|!)(.*)$")
RUNNING_CELL_MAGICS = ("%%time", "%%timeit", "%%capture")


class NotebookError(ValueError):
    """A notebook that cannot be graded (not JSON, unsupported cell magic); the message says what to change."""


def cell_filename(notebook: str, number: int) -> str:
    return f"{notebook} [cell {number}]"


def _source(cell: dict[str, Any]) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else str(src)


def cell_code(text: str, number: int) -> str:
    """Python for one code cell, with IPython magics replaced as described in the module docstring."""
    lines = text.splitlines()
    if lines and lines[0].startswith("%%"):
        magic, _, rest = lines[0].partition(" ")
        body = "\n".join(lines[1:]) + ("\n" if len(lines) > 1 else "")
        if magic == "%%writefile":
            args = rest.split()
            append = "-a" in args
            paths = [a for a in args if not a.startswith("-")]
            if not paths:
                raise NotebookError(f"Cell {number}: %%writefile needs a file name, e.g. %%writefile src/train.py")
            return (f"import pathlib as _p; _f = _p.Path({paths[0]!r}); _f.parent.mkdir(parents=True, exist_ok=True); "
                    f"_f.open({'a' if append else 'w'!r}, encoding='utf-8').write({body!r}); del _p, _f")
        if magic in RUNNING_CELL_MAGICS:
            return "pass\n" + body
        raise NotebookError(f"Cell {number} starts with {magic}, which graded notebooks do not run; "
                            "write the cell in Python (or use %%writefile to write a file).")
    out = []
    for line in lines:
        match = _LINE_MAGIC.match(line)
        if match and match.group(2) == "!" and re.match(r"az(\s|$)", match.group(3)):
            out.append(f"{match.group(1)}__import__('subprocess').run({match.group(3)!r}, shell=True)")
            continue
        out.append(f"{match.group(1)}pass  # {match.group(2)}{match.group(3)}" if match else line)
    return "\n".join(out) + "\n"


def code_cells(notebook: dict[str, Any]) -> list[str]:
    if not isinstance(notebook, dict) or not isinstance(notebook.get("cells"), list):
        raise NotebookError("This .ipynb file has no cells list; save it again from Jupyter.")
    result = []
    number = 0
    for cell in notebook["cells"]:
        if cell.get("cell_type") != "code":
            continue
        number += 1
        result.append(cell_code(_source(cell), number))
    return result


def read_code(path: Path) -> list[str]:
    try:
        notebook = json.loads(Path(path).read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise NotebookError(f"{Path(path).name} is not a valid notebook (JSON): {exc}. Save it again from Jupyter.") from None
    return code_cells(notebook)


def as_script(path: Path) -> str:
    """A notebook's code as one script (cells marked with `# %%`), for `ast` checks on how it was written."""
    return "".join(f"# %% cell {n}\n{code}" for n, code in enumerate(read_code(path), start=1))


def to_notebook(script: str, first_cell: str | None = None) -> dict[str, Any]:
    """Turn a percent-format script into an nbformat 4 notebook (as a dict)."""
    cells: list[dict[str, Any]] = []

    def add(kind: str, lines: list[str]) -> None:
        while lines and not lines[-1].strip():
            lines.pop()
        while lines and not lines[0].strip():
            lines.pop(0)
        if not lines:
            return
        if kind == "markdown":
            lines = [re.sub(r"^# ?", "", line) for line in lines]
        text = "\n".join(lines)
        source = [line + "\n" for line in text.split("\n")]
        source[-1] = source[-1].rstrip("\n")
        cell: dict[str, Any] = {"cell_type": kind, "metadata": {}, "source": source}
        if kind == "code":
            cell.update(execution_count=None, outputs=[])
        cells.append(cell)

    if first_cell:
        add("code", first_cell.splitlines())
    kind, current = "code", []
    for line in script.splitlines():
        if line.startswith("# %%"):
            add(kind, current)
            kind, current = ("markdown" if "[markdown]" in line else "code"), []
        else:
            current.append(line)
    add(kind, current)
    return {
        "cells": cells,
        "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
                     "language_info": {"name": "python"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def write_notebook(script_path: Path, target: Path, first_cell: str | None = None) -> Path:
    notebook = to_notebook(Path(script_path).read_text(encoding="utf-8"), first_cell)
    for n, cell in enumerate(notebook["cells"]):
        cell["id"] = f"cell-{n}"
    target.write_text(json.dumps(notebook, indent=1) + "\n", encoding="utf-8")
    return target
