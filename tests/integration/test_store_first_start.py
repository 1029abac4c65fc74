"""Replicas that start together on an empty PostgreSQL database all open their store.

PostgreSQL's ``CREATE ... IF NOT EXISTS`` fails for the loser of a race on the
catalogue's unique index; a replica that lost it used to crash at start-up.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from services.case_store.application import CaseStoreApplication
from services.kit.settings import ServiceSettings
from services.kit.store import open_store
from tests.support.postgres import fresh_database

pytestmark = pytest.mark.integration
REPLICAS = 6
ROUNDS = 8


def test_replicas_opening_an_empty_postgres_store_at_once_all_succeed(
    tmp_path: Path, postgres_server: str
) -> None:
    for _ in range(ROUNDS):
        settings = ServiceSettings(data_dir=tmp_path, database_url=fresh_database(postgres_server))
        start_together = threading.Barrier(REPLICAS)

        def open_replica(
            _: int, settings: ServiceSettings = settings, start_together: threading.Barrier = start_together
        ) -> int:
            start_together.wait()
            app = open_store(CaseStoreApplication, settings, "case_store")
            try:
                return app.max_notification_id()
            finally:
                app.close()

        with ThreadPoolExecutor(REPLICAS) as pool:
            assert list(pool.map(open_replica, range(REPLICAS))) == [0] * REPLICAS
