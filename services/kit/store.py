"""Event-store wiring: the eventsourcing library on SQLite (default) or PostgreSQL.

Each service has its own store: one SQLite file under ``data_dir`` or one
PostgreSQL schema named after the service.  Services never read each other's.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, unquote, urlparse

from eventsourcing.application import Application, ProcessingEvent
from eventsourcing.persistence import IntegrityError, ProcessRecorder, Tracking

from services.kit.settings import ServiceSettings

__all__ = ["ServiceApplication", "store_environment", "IntegrityError", "Tracking"]


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
    return env


class ServiceApplication(Application[Any]):
    """An eventsourcing Application whose recorder also records tracking.

    The tracking table holds, per name, the highest position processed: the
    relay's own progress and each upstream source's notification ids.
    """

    recorder: ProcessRecorder

    def __init__(self, env: dict[str, str] | None = None) -> None:
        super().__init__(env)
        self._after_save: list[Callable[[], None]] = []

    def on_saved(self, callback: Callable[[], None]) -> None:
        """Run ``callback`` after every save (the relay uses it to wake up at once)."""
        self._after_save.append(callback)

    def save(self, *objs: Any, tracking: Tracking | None = None, **kwargs: Any) -> Any:
        """Store the objects' new events and, atomically with them, ``tracking`` (if any)."""
        processing_event: ProcessingEvent[Any] = ProcessingEvent(tracking)
        processing_event.collect_events(*objs, **kwargs)
        recordings = self._record(processing_event)
        self._take_snapshots(processing_event)
        self._notify(recordings)
        for callback in self._after_save:
            callback()
        return recordings

    def record_access(
        self, case_id: str, actor: str, actor_municipality: str, resource: str, purpose: str, outcome: str
    ) -> None:
        """Log one read of case data before any of it is returned (ARCHITECTURE §2.5)."""
        from services.kit.domain.case_access import CaseAccess

        self.save(CaseAccess(case_id, actor, actor_municipality, resource, purpose, outcome))

    def construct_recorder(self) -> ProcessRecorder:
        return self.factory.process_recorder()

    def is_tracked(self, tracking: Tracking | None) -> bool:
        if tracking is None:
            return False
        return self.recorder.has_tracking_id(tracking.application_name, tracking.notification_id)

    def max_notification_id(self) -> int:
        return self.recorder.max_notification_id() or 0

    def check_store(self) -> None:
        """Raise if the store cannot be read (for /readyz)."""
        self.recorder.max_notification_id()
