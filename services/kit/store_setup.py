"""Where each service's store lives: one SQLite file under ``data_dir``, or one PostgreSQL schema.

Services never read each other's stores.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TypeVar
from urllib.parse import parse_qs, unquote, urlparse

from eventsourcing.application import Application
from eventsourcing.persistence import PersistenceError

from services.kit.logs import scrub
from services.kit.settings import ServiceSettings


def _postgres_environment(url: str, schema: str) -> dict[str, str]:
    parsed = urlparse(url)
    # libpq also takes the host (or a Unix-socket folder) as a ?host= parameter.
    host = parse_qs(parsed.query).get("host", [parsed.hostname or "127.0.0.1"])[0]
    return {
        "PERSISTENCE_MODULE": "eventsourcing.postgres",
        "POSTGRES_DBNAME": parsed.path.lstrip("/") or "postgres",
        "POSTGRES_HOST": host,
        "POSTGRES_PORT": str(parsed.port or 5432),
        "POSTGRES_USER": unquote(parsed.username or "postgres"),
        "POSTGRES_PASSWORD": unquote(parsed.password or ""),
        "POSTGRES_SCHEMA": schema,
        "POSTGRES_POOL_SIZE": "5",
        "POSTGRES_MAX_OVERFLOW": "10",
        "POSTGRES_CONN_MAX_AGE": "300",
    }


def ensure_postgres_schema(url: str, schema: str) -> None:
    """The library creates tables, not schemas: make the service's schema first."""
    import psycopg  # local: only needed when PostgreSQL is configured

    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(f'CREATE SCHEMA IF NOT EXISTS "{schema}"')


@contextmanager
def _postgres_creation_lock(url: str, service: str) -> Iterator[None]:
    """Serialise schema and table creation between replicas starting together.

    PostgreSQL's ``CREATE ... IF NOT EXISTS`` is not safe under concurrency: the
    loser fails on a unique index of the catalogue instead of finding the object.
    """
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("SELECT pg_advisory_lock(hashtext(%s))", (f"natverk-store-{service}",))
        try:
            yield
        finally:
            connection.execute("SELECT pg_advisory_unlock(hashtext(%s))", (f"natverk-store-{service}",))


def store_environment(settings: ServiceSettings, service: str) -> dict[str, str]:
    """The eventsourcing environment for ``service``'s own store."""
    if settings.database_url:
        ensure_postgres_schema(settings.database_url, service)
        env = _postgres_environment(settings.database_url, service)
    else:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        env = {
            "PERSISTENCE_MODULE": "eventsourcing.sqlite",
            "SQLITE_DBNAME": str(settings.data_dir / f"{service}.sqlite"),
            "SQLITE_LOCK_TIMEOUT": "10",
        }
    if settings.cipher_key:
        env["CIPHER_TOPIC"] = "eventsourcing.cipher:AESCipher"
        env["CIPHER_KEY"] = settings.cipher_key.get_secret_value()
    env["CREATE_TABLE"] = "y"
    # The library's JSON format, written and read with orjson (services/kit/transcoding.py).
    env["TRANSCODER_TOPIC"] = "services.kit.transcoding:OrjsonTranscoder"
    return env


StoreApplication = TypeVar("StoreApplication", bound=Application[Any])


class StoreUnavailable(RuntimeError):
    """The service's store cannot be opened at start-up: the message names the setting and the
    reason the database or the file system gave, never the setting's value (a URL may hold a
    password)."""


def open_store(
    application_class: type[StoreApplication], settings: ServiceSettings, service: str
) -> StoreApplication:
    """Construct ``service``'s application on its own store, creating schema and tables once."""
    try:
        if not settings.database_url:
            return application_class(env=store_environment(settings, service))
        with _postgres_creation_lock(settings.database_url, service):
            return application_class(env=store_environment(settings, service))
    except (OSError, sqlite3.Error, PersistenceError, _postgres_errors()) as error:
        setting = "NATVERK_DATABASE_URL" if settings.database_url else "NATVERK_DATA_DIR"
        raise StoreUnavailable(f"{setting}: {_reason(error)}") from error


def _reason(error: BaseException) -> str:
    """What went wrong, in the words of the layer that knows: the first line of the deepest cause
    (PostgreSQL's "connection refused", "password authentication failed for user ...", "database
    ... does not exist"; the OS's "Permission denied"), which holds no password."""
    while error.__cause__ is not None:  # not ``__context__``: what was being handled meanwhile
        error = error.__cause__
    text = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
    first_line = (text.strip().splitlines() or [""])[0][:200]
    return f"cannot open the store ({type(error).__name__}: {scrub(first_line)})"


def _postgres_errors() -> type[Exception]:
    try:
        import psycopg
    except ImportError:  # pragma: no cover - psycopg is a dependency; SQLite-only installs differ
        return OSError
    return psycopg.Error
