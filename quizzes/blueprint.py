"""Exam blueprints: `quizzes/blueprints/<id>.yaml` (domains -> skill groups -> skills, weights, exam settings)."""
from __future__ import annotations

import functools
from pathlib import Path

import yaml

from quizzes.models import Blueprint

BLUEPRINT_DIR = Path(__file__).resolve().parent / "blueprints"
DEFAULT_BLUEPRINT = "dp100"

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class BlueprintNotFound(LookupError):
    """No blueprint file with that id; the message lists the ones that exist."""


def available_blueprints() -> list[str]:
    return sorted(p.stem for p in BLUEPRINT_DIR.glob("*.yaml"))


def blueprint_path(name_or_path: str | Path) -> Path:
    p = Path(name_or_path)
    if p.suffix in (".yaml", ".yml") and p.exists():
        return p
    candidate = BLUEPRINT_DIR / f"{name_or_path}.yaml"
    if candidate.exists():
        return candidate
    raise BlueprintNotFound(
        f"No exam blueprint called {str(name_or_path)!r}. Available: {', '.join(available_blueprints()) or 'none'}."
    )


@functools.lru_cache(maxsize=8)
def _load(path: Path, mtime_ns: int) -> Blueprint:
    with open(path, "rb") as fh:
        data = yaml.load(fh, Loader=_Loader)
    bp = Blueprint.model_validate(data)
    if bp.maps_from:
        base = load_blueprint(bp.maps_from)
        if base.maps_from:
            raise ValueError(f"{path.name}: maps_from must name a blueprint without maps_from ({base.id} has one)")
        unknown = sorted(set(bp.skill_map) - base.skill_ids)
        if unknown:
            raise ValueError(f"{path.name}: skill_map keys {', '.join(unknown)} are not skills of {base.id}")
    return bp


def load_blueprint(name_or_path: str | Path = DEFAULT_BLUEPRINT) -> Blueprint:
    """Load and validate a blueprint by id (`dp100`) or by path to a YAML file. Cached per file version.

    A blueprint with `maps_from` (e.g. ai300 -> dp100) is checked against that blueprint: every `skill_map` key
    must be one of its skill ids.
    """
    path = blueprint_path(name_or_path).resolve()
    return _load(path, path.stat().st_mtime_ns)


def home_blueprint(bp: Blueprint) -> Blueprint:
    """The blueprint whose skill ids questions carry in `skills`: `bp` itself, or the one it maps from."""
    return load_blueprint(bp.maps_from) if bp.maps_from else bp
