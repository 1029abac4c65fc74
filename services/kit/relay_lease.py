"""Exactly one relay of a service publishes at a time, however many replicas run (ARCHITECTURE §2.3).

The lease is a lock the operating system or the database lets go of when its holder
dies: a PostgreSQL session-level advisory lock on a connection of its own (released
when the connection drops, so a killed leader's lock frees at once), or, for a SQLite
store shared by processes on one machine, an exclusive ``flock`` on a file beside it.
Replicas without the lease try again every second; the holder re-checks its
connection about as often, so two relays overlap for at most about a second (and
consumers are idempotent, so an overlap duplicates, never loses).
"""

from __future__ import annotations

import contextlib
import fcntl
import time
from pathlib import Path
from typing import Any, Protocol

from services.kit.logs import get_logger

log = get_logger(__name__)
CHECK_INTERVAL = 1.0


class Lease(Protocol):
    def hold(self) -> bool:
        """Take the lease if it is free, or confirm it is still held; False: another replica has it."""

    def release(self) -> None: ...


class FileLease:
    def __init__(self, path: Path) -> None:
        self._path = path
        self._handle: Any = None

    def hold(self) -> bool:
        if self._handle is not None:
            return True
        self._path.parent.mkdir(parents=True, exist_ok=True)
        handle = self._path.open("a")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            return False
        self._handle = handle
        return True

    def release(self) -> None:
        if self._handle is not None:
            fcntl.flock(self._handle, fcntl.LOCK_UN)
            self._handle.close()
            self._handle = None


class PostgresLease:
    def __init__(self, url: str, name: str) -> None:
        self._url = url
        self._name = name
        self._connection: Any = None
        self._checked = 0.0

    def hold(self) -> bool:
        if self._connection is not None:
            return self._still_held()
        import psycopg  # local: only needed when PostgreSQL is configured

        connection = psycopg.connect(self._url, autocommit=True, connect_timeout=5)
        row = connection.execute("SELECT pg_try_advisory_lock(hashtext(%s))", (self._name,)).fetchone()
        if not (row and row[0]):
            connection.close()
            return False
        self._connection, self._checked = connection, time.monotonic()
        return True

    def _still_held(self) -> bool:
        if time.monotonic() - self._checked < CHECK_INTERVAL:
            return True
        try:
            self._connection.execute("SELECT 1")
        except Exception as error:  # noqa: BLE001 - the server let go of the lock with the connection
            log.warning("relay lease lost with its connection", error_type=type(error).__name__)
            self.release()
            return False
        self._checked = time.monotonic()
        return True

    def release(self) -> None:
        if self._connection is not None:
            with contextlib.suppress(Exception):
                self._connection.close()
            self._connection = None


def lease_for(database_url: str | None, data_dir: Path, service: str) -> Lease:
    if database_url:
        return PostgresLease(database_url, f"natverk-relay-{service}")
    return FileLease(data_dir / f"{service}.relay.lock")
