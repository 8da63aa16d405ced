"""Long-running-operation pollers (`begin_*` calls). Sandbox operations finish at once or on a worker."""
from __future__ import annotations

from typing import Any, Callable


class CompletedPoller:
    def __init__(self, result: Any = None, wait: Callable[[float | None], Any] | None = None) -> None:
        self._result = result
        self._wait = wait

    def result(self, timeout: float | None = None) -> Any:
        if self._wait is not None:
            self._result = self._wait(timeout)
        return self._result

    def wait(self, timeout: float | None = None) -> None:
        self.result(timeout)

    def done(self) -> bool:
        return True

    def status(self) -> str:
        return "Succeeded"
