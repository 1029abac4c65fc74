"""With the broker down, a Kafka command of the ops CLI says so in its own one line, nothing more."""

from __future__ import annotations

import logging

import pytest

from services.cli import main
from tests.support.ports import free_port


def test_a_dead_letter_command_with_the_broker_down_logs_nothing_beside_its_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("NATVERK_KAFKA_BOOTSTRAP", f"127.0.0.1:{free_port()}")
    caplog.set_level(logging.DEBUG)
    assert main(["dlq", "list", "ext.placements.v1.dlq"]) == 2
    error = capsys.readouterr().err
    assert error.startswith("natverk dlq: cannot reach the broker") and error.count("\n") == 1, error
    assert [r.getMessage() for r in caplog.records if r.name.startswith("aiokafka")] == []
