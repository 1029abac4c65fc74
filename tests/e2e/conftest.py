"""The whole stack as processes (broker + every service), started once for the e2e tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from services.kit.settings import ServiceSettings
from services.stack import Stack, available_services
from tests.support.ports import free_port

PORT_FIELDS = (
    "referrals_port",
    "scheduling_port",
    "network_support_port",
    "collaboration_port",
    "case_store_port",
)


# Package scope: the stack (a broker and five services, busy even when idle) stops once the last
# end-to-end test is done, not at the end of the whole suite.
@pytest.fixture(scope="package")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    data_dir: Path = tmp_path_factory.mktemp("stack")
    ports = {field: free_port() for field in PORT_FIELDS}
    env = {
        "NATVERK_DATA_DIR": str(data_dir),
        "NATVERK_KAFKA_BOOTSTRAP": f"127.0.0.1:{free_port()}",
        "NATVERK_RELAY_POLL_INTERVAL_MS": "20",
        **{f"NATVERK_{field.upper()}": str(port) for field, port in ports.items()},
    }
    settings = ServiceSettings(
        data_dir=data_dir, kafka_bootstrap=env["NATVERK_KAFKA_BOOTSTRAP"], relay_poll_interval_ms=20, **ports
    )
    running = Stack(settings, available_services(), extra_env=env)
    try:
        running.start(timeout=90)
        yield running
    finally:
        running.stop()
