"""Changing a service's stored events behind its back, as an insider with database access would.

The same calls on SQLite (``stored_events``, ids as hex text) and PostgreSQL (the service's
schema, ``<service>_events``, ids as uuid).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any
from uuid import UUID

import psycopg

from services.kit.settings import ServiceSettings


@contextmanager
def _connection(settings: ServiceSettings, service: str) -> Iterator[Any]:
    if settings.database_url:
        with psycopg.connect(settings.database_url, autocommit=True) as connection:
            connection.execute(f'SET search_path TO "{service}"')
            yield connection
        return
    connection = sqlite3.connect(settings.data_dir / f"{service}.sqlite")
    try:
        with connection:
            yield connection
    finally:
        connection.close()


def _execute(settings: ServiceSettings, store: Any, sql: str, record_id: UUID, *values: Any) -> list[Any]:
    table = store.recorder.events_table_name
    key = record_id if settings.database_url else record_id.hex
    text = sql.format(table=table)
    with _connection(settings, store.name) as connection:
        cursor = connection.execute(
            text.replace("?", "%s") if settings.database_url else text, (*values, key)
        )
        return list(cursor.fetchall()) if text.startswith("SELECT") else [cursor.rowcount]


def stored_state(settings: ServiceSettings, store: Any, record_id: UUID) -> bytes:
    """The stored bytes of the aggregate's first event."""
    [(state,)] = _execute(
        settings,
        store,
        "SELECT state FROM {table} WHERE originator_version = 1 AND originator_id = ?",
        record_id,
    )
    return bytes(state)


def replace_state(settings: ServiceSettings, store: Any, record_id: UUID, state: bytes) -> None:
    sql = "UPDATE {table} SET state = ? WHERE originator_version = 1 AND originator_id = ?"
    assert _execute(settings, store, sql, record_id, state) == [1]


def edit_bytes(settings: ServiceSettings, store: Any, record_id: UUID, old: bytes, new: bytes) -> None:
    state = stored_state(settings, store, record_id)
    assert old in state, state
    replace_state(settings, store, record_id, state.replace(old, new))


def edit_json(
    settings: ServiceSettings, store: Any, record_id: UUID, change: Callable[[dict[str, Any]], None]
) -> None:
    state = json.loads(stored_state(settings, store, record_id))
    change(state)
    replace_state(settings, store, record_id, json.dumps(state, separators=(",", ":")).encode())


def delete_record(settings: ServiceSettings, store: Any, record_id: UUID) -> None:
    assert _execute(settings, store, "DELETE FROM {table} WHERE originator_id = ?", record_id) == [1]
