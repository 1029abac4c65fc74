"""Editing a service's store behind its back, as an insider with database access would."""

from __future__ import annotations

import json
import sqlite3
from typing import Any
from uuid import UUID

import psycopg

from services.kit.settings import ServiceSettings


def execute(settings: ServiceSettings, sql: str, params: tuple[Any, ...], service: str = "case_store") -> int:
    """Run raw SQL (``?`` placeholders) against the service's own store; returns affected rows."""
    if settings.database_url:
        with psycopg.connect(settings.database_url, autocommit=True) as connection:
            connection.execute(f"SET search_path TO {service}")
            return connection.execute(sql.replace("?", "%s"), params).rowcount
    with sqlite3.connect(settings.data_dir / f"{service}.sqlite") as connection:
        return connection.execute(sql, params).rowcount


def fetch(
    settings: ServiceSettings, sql: str, params: tuple[Any, ...], service: str = "case_store"
) -> list[Any]:
    if settings.database_url:
        with psycopg.connect(settings.database_url, autocommit=True) as connection:
            connection.execute(f"SET search_path TO {service}")
            return connection.execute(sql.replace("?", "%s"), params).fetchall()
    with sqlite3.connect(settings.data_dir / f"{service}.sqlite") as connection:
        return connection.execute(sql, params).fetchall()


def events_table(settings: ServiceSettings, service: str = "case_store") -> str:
    return f"{service}_events" if settings.database_url else "stored_events"


def stored_id(settings: ServiceSettings, aggregate_id: UUID) -> object:
    """An aggregate id as each backend stores it (SQLite: hex text, PostgreSQL: uuid)."""
    return aggregate_id if settings.database_url else aggregate_id.hex


def states(settings: ServiceSettings, aggregate_id: UUID) -> dict[int, dict[str, Any]]:
    """Each stored event's state (JSON) by version."""
    rows = fetch(
        settings,
        f"SELECT originator_version, state FROM {events_table(settings)} WHERE originator_id = ?",
        (stored_id(settings, aggregate_id),),
    )
    return {version: json.loads(bytes(state)) for version, state in rows}


def put_state(settings: ServiceSettings, aggregate_id: UUID, version: int, state: dict[str, Any]) -> None:
    changed = execute(
        settings,
        f"UPDATE {events_table(settings)} SET state = ? WHERE originator_id = ? AND originator_version = ?",
        (json.dumps(state).encode(), stored_id(settings, aggregate_id), version),
    )
    assert changed == 1


def delete_versions(settings: ServiceSettings, aggregate_id: UUID, *versions: int) -> None:
    for version in versions:
        changed = execute(
            settings,
            f"DELETE FROM {events_table(settings)} WHERE originator_id = ? AND originator_version = ?",
            (stored_id(settings, aggregate_id), version),
        )
        assert changed == 1
