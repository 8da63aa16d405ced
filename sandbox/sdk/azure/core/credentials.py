"""`azure.core.credentials`."""
from __future__ import annotations

from typing import NamedTuple


class AccessToken(NamedTuple):
    token: str
    expires_on: int


class AzureKeyCredential:
    def __init__(self, key: str) -> None:
        self.key = key
