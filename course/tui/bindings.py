"""Key bindings: every binding has an id so learners can remap it, and the keymap file that does so.

The keymap is a TOML file, `keymap.toml` in the user config dir (`platformdirs.user_config_dir("dp100")`, or
`DP100_CONFIG_DIR`). Keys are binding ids, values the new key(s), comma-separated for several:

    [keymap]
    "app.help" = "f1,question_mark"
    "exam.flag" = "ctrl+f"
    "lab.check" = "ctrl+k"

`dp100`'s F1 help lists the ids of the bindings on screen.
"""
from __future__ import annotations

import os
from pathlib import Path

from textual.binding import Binding

KEYMAP_FILE = "keymap.toml"


def config_dir() -> Path:
    env = os.environ.get("DP100_CONFIG_DIR")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_config_dir

    return Path(user_config_dir("dp100", appauthor=False))


def load_keymap(path: Path | None = None) -> tuple[dict[str, str], str | None]:
    """(binding id -> keys, a problem to tell the learner or None). A missing file is an empty keymap."""
    path = path or config_dir() / KEYMAP_FILE
    if not path.is_file():
        return {}, None
    import tomllib

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return {}, f"Your keymap {path} could not be read ({exc}); default keys are used."
    table = data.get("keymap", data)
    keymap = {str(k): str(v) for k, v in table.items() if isinstance(v, str)}
    return keymap, None


def B(key: str, action: str, description: str, id: str, *, show: bool = True, priority: bool = False,
      key_display: str | None = None) -> Binding:
    """A binding with an id (shorthand used by every screen)."""
    return Binding(key, action, description, show=show, priority=priority, id=id, key_display=key_display)


APP_BINDINGS = [
    B("f1", "help", "Help", "app.help"),
    B("ctrl+q", "quit", "Quit", "app.quit", priority=True),
    B("ctrl+p", "command_palette", "Commands", "app.palette", show=False),
]
