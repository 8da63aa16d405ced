"""Where dp100 keeps its data: `DP100_HOME` (or `--home`), else the user data dir."""
from __future__ import annotations

import os
from pathlib import Path


def data_home() -> Path:
    env = os.environ.get("DP100_HOME")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("dp100", appauthor=False))


def workspace_dir() -> Path:
    """The active sandbox workspace folder: `DP100_WORKSPACE`, else `<data home>/workspace`."""
    env = os.environ.get("DP100_WORKSPACE")
    if env:
        return Path(env).expanduser()
    return data_home() / "workspace"
