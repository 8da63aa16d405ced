"""Executors: what the supervisor does for each kind of job.

Each executor module defines `SPEC` (its spec class, a pydantic model with a literal `kind`) and
`execute(run: JobRun) -> None`, which drives the job from Starting to just before its terminal state (raising
`JobFailed` for a failure). A new kind of job is one module here (or in its domain package) and one line in
`KINDS`.
"""
from __future__ import annotations

import importlib
from types import ModuleType

# kind -> the module that executes it
KINDS: dict[str, str] = {
    "command": "sandbox.jobs.executors.command",
}


def register(kind: str, module: str) -> None:
    KINDS[kind] = module


def executor(kind: str) -> ModuleType:
    try:
        path = KINDS[kind]
    except KeyError:
        raise ValueError(f"No executor for job kind {kind!r}; known kinds: {', '.join(sorted(KINDS))}.") from None
    return importlib.import_module(path)


def load_specs() -> None:
    from sandbox.jobs import specs

    for kind, path in KINDS.items():
        if kind not in specs._SPECS:
            specs.register_spec(kind, importlib.import_module(path).SPEC)
