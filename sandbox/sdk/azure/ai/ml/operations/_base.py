"""Shared base of operation groups: access to the bound sandbox workspace."""
from __future__ import annotations

from typing import Any


class Operations:
    def __init__(self, client: Any) -> None:
        self._client = client

    @property
    def _ws(self) -> Any:
        return self._client._engine
