"""Base of v2 entities: keyword construction, a readable repr, and `_to_dict` for YAML-like output."""
from __future__ import annotations

from typing import Any


class Resource:
    def __init__(self, name: str | None = None, description: str | None = None, tags: dict | None = None,
                 properties: dict | None = None, **kwargs: Any) -> None:
        self.name = name
        self.description = description
        self.tags = dict(tags or {})
        self.properties = dict(properties or {})
        self.id: str | None = kwargs.pop("id", None)
        self.creation_context: Any = kwargs.pop("creation_context", None)
        self.print_as_yaml = False

    def _to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in vars(self).items() if not k.startswith("_") and v not in (None, {}, [])
                and k != "print_as_yaml"}

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._to_dict()})"

    def __str__(self) -> str:
        import yaml

        return yaml.safe_dump(_plain(self._to_dict()), sort_keys=False)


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if hasattr(value, "_to_dict"):
        return _plain(value._to_dict())
    return str(value)


class SystemData:
    def __init__(self, created_at: str | None = None, created_by: str = "learner@dp100.sandbox",
                 created_by_type: str = "User") -> None:
        self.created_at = created_at
        self.created_by = created_by
        self.created_by_type = created_by_type
        self.last_modified_at = created_at

    def _to_dict(self) -> dict[str, Any]:
        return dict(vars(self))

    def __repr__(self) -> str:
        return f"SystemData({vars(self)})"
