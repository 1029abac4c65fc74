from __future__ import annotations

import json

import pytest

from services.kit.inbound import InvalidRecord, parse_record
from tests.support.events import cloud_event, encode, placement_data, placement_started


def test_a_valid_placement_cloud_event_is_parsed_with_its_typed_data() -> None:
    parsed = parse_record(encode(placement_started("0380-1", "P-1")))
    assert parsed.envelope.type == "se.placement.started.v1"
    assert parsed.data.placement_id == "P-1"


def _started_on(start_date: object) -> dict:
    """A placement that began on 1 December 2025, written as seconds since 1970 or as a datetime."""
    event = placement_started("0380-1", "P-1")
    return {**event, "data": {**event["data"], "start_date": start_date}}


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        (b"", "empty record"),
        (b"\xff\xfe{}", "not valid UTF-8"),
        (b"{not json", "not valid JSON"),
        (b"[1, 2]", "must be an object"),
        (b"[" * 100 + b"]" * 100, "nested deeper"),
        (
            encode({**placement_started("0380-1", "P-1"), "specversion": "0.3"}),
            "not a CloudEvent: specversion",
        ),
        (
            encode({k: v for k, v in placement_started("0380-1", "P-1").items() if k != "id"}),
            "not a CloudEvent: id",
        ),
        (
            encode(cloud_event("se.placement.teleported.v1", placement_data("0380-1", "P-1"))),
            "unknown event type",
        ),
        (
            encode(cloud_event("se.placement.started.v1", {"case_id": "0380-1"})),
            "data invalid: data.placement_id",
        ),
        (encode({**placement_started("0380-1", "P-1"), "subject": "0380-2"}), "subject does not match"),
        (
            encode({**placement_started("0380-1", "P-1"), "time": "2026-11-20T10:00:00"}),
            "not a CloudEvent: time: Value error, must carry a UTC offset",
        ),
        (encode(_started_on(1764547200)), "data invalid: data.start_date"),
        (encode(_started_on("2025-12-01T00:00:00")), "data invalid: data.start_date"),
    ],
    # By reason: the records hold fresh ids, and test ids must be the same in every xdist worker.
    ids=lambda value: value if isinstance(value, str) else "record",
)
def test_a_bad_record_is_refused_with_a_precise_reason(value: bytes, reason: str) -> None:
    with pytest.raises(InvalidRecord, match=reason):
        parse_record(value)


def test_the_reason_for_a_bad_personal_identity_number_does_not_contain_it() -> None:
    pin = "201505152388"
    event = placement_started("0380-1", "P-1", pin=pin)
    with pytest.raises(InvalidRecord) as refused:
        parse_record(json.dumps(event).encode())
    assert "data.child.pin" in str(refused.value)
    assert pin not in str(refused.value)
