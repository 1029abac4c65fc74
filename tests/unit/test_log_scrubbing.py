from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest
import structlog

from services.kit.logs import REDACTED, configure_logging, get_logger, scrub


@pytest.mark.parametrize("shape", ["201505152387", "20150515-2387", "150515-2387", "1505152387"])
def test_every_shape_of_a_personal_identity_number_is_redacted(shape: str) -> None:
    assert scrub(f"child {shape} placed") == f"child {REDACTED} placed"


def test_hex_ids_and_short_numbers_are_left_alone() -> None:
    text = "correlation 5a989a36b5fe4951812345678901e offset 42 port 8001"
    assert scrub(text) == text


@pytest.fixture
def json_log() -> Iterator[io.StringIO]:
    root = logging.getLogger()
    saved = (root.handlers[:], root.level)
    stream = io.StringIO()
    configure_logging("unit-test", stream=stream)
    yield stream
    root.handlers[:], level = saved
    root.setLevel(level)
    # Undo the process-wide structlog set-up too: later tests capture structlog's default output.
    structlog.reset_defaults()
    structlog.contextvars.clear_contextvars()


def test_log_lines_are_json_and_carry_no_personal_identity_number(json_log: io.StringIO) -> None:
    get_logger("t").info("placement refused", detail="pin 201505152387 invalid")
    logging.getLogger("plain").warning("stdlib says 201505152387")
    lines = [json.loads(line) for line in json_log.getvalue().strip().splitlines()]
    assert [line["service"] for line in lines] == ["unit-test", "unit-test"]
    assert "201505152387" not in json.dumps(lines)
