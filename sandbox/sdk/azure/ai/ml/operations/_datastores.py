"""`ml_client.datastores`."""
from __future__ import annotations

from typing import Any, Iterator

from azure.ai.ml._sandbox import translated
from azure.ai.ml.entities._datastores import Datastore, from_record
from azure.ai.ml.exceptions import ValidationException
from azure.ai.ml.operations._base import Operations
from sandbox import datastores as _engine


class DatastoreOperations(Operations):
    @translated
    def create_or_update(self, datastore: Datastore) -> Datastore:
        if not isinstance(datastore, Datastore):
            raise ValidationException(f"create_or_update expects a datastore entity, got {type(datastore).__name__}.")
        secret = datastore.credentials._secret() if datastore.credentials else {}
        rec = _engine.register(self._ws, datastore.name, datastore._kind, datastore.account_name, datastore._container,
                               datastore._credential_kind(), secret or None, datastore.description, datastore.tags)
        return from_record(rec, self._ws)

    @translated
    def get(self, name: str, *, include_secrets: bool = False) -> Datastore:
        return from_record(_engine.get(self._ws, name, with_secret=include_secrets), self._ws, include_secrets)

    @translated
    def get_default(self, *, include_secrets: bool = False) -> Datastore:
        rec = _engine.get_default(self._ws)
        return self.get(rec.name, include_secrets=include_secrets)

    @translated
    def list(self, *, include_secrets: bool = False) -> Iterator[Datastore]:
        return iter([from_record(r, self._ws) for r in _engine.list_all(self._ws)])

    @translated
    def delete(self, name: str) -> None:
        _engine.unregister(self._ws, name)

    def mount(self, path: str, mount_point: str | None = None, **kwargs: Any) -> None:
        raise ValidationException("Mounting datastores is not available in the dp100 sandbox; read files by URI instead.")
