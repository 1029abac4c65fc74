"""Shared fixtures: a real broker and a real PostgreSQL, started once per test session.

Tests run in development mode (``NATVERK_DEV=1``, set here at import unless the environment
says otherwise): every ServiceSettings built in a test, and every stack process a test starts,
verifies tokens with the development secret, audience and issuer that ``tests.support.tokens``
puts in its tokens.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from services.kit.settings import ServiceSettings
from tests.support.broker import LocalBroker, running_broker
from tests.support.postgres import fresh_database, running_postgres

os.environ.setdefault("NATVERK_DEV", "1")
BACKENDS = ("sqlite", "postgres")
# What starts processes of its own (a broker, a stack, PostgreSQL) or times them (the chaos
# harness): under ``make test`` (pytest-xdist, two workers) these run on one worker, one at a
# time, while the other worker takes the in-process tests.  Two stacks at once on two cores
# made both slower than one after the other.
OWN_PROCESSES = pytest.mark.xdist_group("own_processes")
PROCESS_FOLDERS = {"integration", "e2e", "chaos", "fuzz"}
PROCESS_FIXTURES = {"broker", "postgres_server"}  # a test's fixtures with all they depend on


def _starts_processes(item: pytest.Item) -> bool:
    folder = item.path.relative_to(Path(__file__).parent).parts[0]
    params = getattr(getattr(item, "callspec", None), "params", {})
    return (
        folder in PROCESS_FOLDERS
        or bool(PROCESS_FIXTURES & set(getattr(item, "fixturenames", ())))
        or params.get("store_backend") == "postgres"
    )


@pytest.hookimpl(tryfirst=True)  # before xdist reads the groups from the marks
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if _starts_processes(item):
            item.add_marker(OWN_PROCESSES)


@pytest.fixture
def broker(tmp_path: Path) -> Iterator[LocalBroker]:
    """A broker of its own per test (it starts in milliseconds): no records from other tests.

    Sharing one would let a test's fresh store restart notification ids on a topic that
    still holds another test's higher ones, which tracking rightly treats as already seen.
    """
    with running_broker(tmp_path / "broker.log") as local_broker:
        yield local_broker


@pytest.fixture(scope="session")
def postgres_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with running_postgres(tmp_path_factory.mktemp("postgres")) as url:
        yield url


@pytest.fixture(params=BACKENDS)
def store_backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.hookimpl(tryfirst=True)
def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """``@pytest.mark.one_backend``: a test of Kafka plumbing or a workflow, whose store is only
    where it keeps its state, runs on SQLite alone; the store's own behaviour on PostgreSQL is
    proved by the tests that keep both (tracking, leases, replicas, tampering, old layouts)."""
    chosen = any(
        "store_backend" in str(mark.args[0]) for mark in metafunc.definition.iter_markers("parametrize")
    )
    if (
        "store_backend" in metafunc.fixturenames
        and metafunc.definition.get_closest_marker("one_backend")
        and not chosen
    ):
        # As a mark, before pytest's own hooks read the marks: it then takes the fixture's place.
        metafunc.definition.add_marker(pytest.mark.parametrize("store_backend", ["sqlite"]))


@pytest.fixture
def database_url(store_backend: str, request: pytest.FixtureRequest) -> str | None:
    if store_backend == "sqlite":
        return None
    return fresh_database(request.getfixturevalue("postgres_server"))


def make_settings(
    data_dir: Path, bootstrap: str = "127.0.0.1:1", database_url: str | None = None, **extra: object
) -> ServiceSettings:
    return ServiceSettings(
        data_dir=data_dir,
        kafka_bootstrap=bootstrap,
        database_url=database_url,
        relay_poll_interval_ms=20,
        **extra,
    )


@pytest.fixture
def settings(tmp_path: Path, broker: LocalBroker, database_url: str | None) -> ServiceSettings:
    """Settings for a service on the real broker and the parametrised store backend."""
    # A consumer group of its own per test: no waiting for the previous test's members to leave.
    group_prefix = f"t{uuid.uuid4().hex[:8]}-"
    return make_settings(
        tmp_path / "data", broker.bootstrap, database_url, consumer_group_prefix=group_prefix
    )
