"""config.json: how SDK code finds its workspace (subscription, resource group, workspace name)."""
from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from sandbox.errors import InvalidInput, NotFound

if TYPE_CHECKING:
    from sandbox.workspace import Workspace

REQUIRED = ("subscription_id", "resource_group", "workspace_name")
HINT = "In the dp100 sandbox, run `dp100 sandbox config` in your project folder to write one."


def find(path: str | Path | None = None, file_name: str | None = None) -> Path:
    """Search like the SDKs do: the given file or folder, else the cwd and its parents (also `.azureml/`)."""
    names = [file_name] if file_name else ["config.json"]
    start = Path(path).expanduser() if path else Path.cwd()
    if start.is_file():
        return start
    folder = start.resolve()
    for candidate_dir in [folder, *folder.parents]:
        for sub in ("", ".azureml", "aml_config"):
            for name in names:
                candidate = candidate_dir / sub / name if sub else candidate_dir / name
                if candidate.is_file():
                    return candidate
    raise NotFound(
        f"We could not find config.json in: {start} or in its parent directories. Please provide the full path to "
        f"the config file or ensure that config.json exists in the parent directories. {HINT}"
    )


def read(path: Path) -> dict[str, str]:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise InvalidInput(f"The config file {path} is not valid JSON ({exc}). {HINT}") from None
    if not isinstance(data, dict):
        raise InvalidInput(f"The config file {path} must hold a JSON object. {HINT}")
    # The v1 SDK also accepts the ARM-style "Scope" key.
    if "Scope" in data and not all(k in data for k in REQUIRED):
        parts = str(data["Scope"]).strip("/").split("/")
        try:
            data = {"subscription_id": parts[1], "resource_group": parts[3], "workspace_name": parts[7]}
        except IndexError:
            raise InvalidInput(f"The Scope in {path} is not a workspace ARM id. {HINT}") from None
    missing = [k for k in REQUIRED if not data.get(k)]
    if missing:
        raise InvalidInput(f"The config file {path} is missing {', '.join(missing)}. {HINT}")
    return {k: str(data[k]) for k in REQUIRED}


def check_matches(ws: "Workspace", subscription_id: str | None, resource_group: str | None, name: str | None) -> None:
    """Refuse coordinates that do not name the sandbox workspace, the way Azure says a workspace is not there.

    Names the workspace was given by `az ml workspace create` (see `sandbox.account`) name it too."""
    from sandbox import account

    if name is not None and name != ws.name and account.knows(ws, name, resource_group):
        if subscription_id is not None and subscription_id.lower() != ws.subscription_id.lower():
            raise NotFound(
                f"Subscription {subscription_id!r} is not the sandbox subscription ({ws.subscription_id}). {HINT}")
        return
    if name is not None and name != ws.name:
        raise NotFound(
            f"Workspace {name!r} was not found in resource group {resource_group!r}: the dp100 sandbox holds the "
            f"workspace {ws.name!r}. {HINT}"
        )
    if subscription_id is not None and subscription_id.lower() != ws.subscription_id.lower():
        raise NotFound(
            f"Subscription {subscription_id!r} is not the sandbox subscription ({ws.subscription_id}). {HINT}"
        )
    if resource_group is not None and resource_group.lower() != ws.resource_group.lower():
        raise NotFound(
            f"Resource group {resource_group!r} does not hold the workspace; the sandbox uses {ws.resource_group!r}. {HINT}"
        )


def write(ws: "Workspace", folder: Path, file_name: str = "config.json") -> Path:
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / file_name
    target.write_text(json.dumps(ws.coordinates.as_config(), indent=4) + "\n", encoding="utf-8")
    return target
