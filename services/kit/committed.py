"""Observers (metrics) that hear of a change only once it is stored."""

from __future__ import annotations

from functools import partial
from typing import Any

from services.kit.store import ServiceApplication


class WhenCommitted:
    """Wraps an observer so each call waits for the unit of work it was made in to be stored."""

    def __init__(self, app: ServiceApplication, observer: Any) -> None:
        self._app = app
        self._observer = observer

    def __getattr__(self, name: str) -> Any:
        method = getattr(self._observer, name)

        def deferred(*args: Any, **kwargs: Any) -> None:
            self._app.after_commit(partial(method, *args, **kwargs))

        return deferred
