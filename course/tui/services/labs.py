"""Labs as the TUI shows them (placeholder until the lab engine's API settles)."""
from __future__ import annotations

from pathlib import Path


class LabService:
    def __init__(self, progress_path: Path, workspace_dir: Path) -> None:
        self.progress_path = Path(progress_path)
        self.workspace_dir = Path(workspace_dir)

    def progress_by_topic(self) -> dict[str, tuple[int, int]]:
        return {}
