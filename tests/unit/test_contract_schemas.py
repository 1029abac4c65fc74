from __future__ import annotations

import json

import jsonschema
import pytest

from contracts.generate import ASYNCAPI_PATH, SCHEMA_DIR, differences
from contracts.registry import EVENT_TYPES, TOPIC_SPECS
from tests.support.events import cloud_event, placement_started


def test_committed_schemas_and_asyncapi_match_the_models() -> None:
    assert differences() == [], "run `make schemas` and commit the result"


def test_every_event_type_has_a_committed_schema_and_every_topic_is_in_asyncapi() -> None:
    for event_type in EVENT_TYPES:
        assert (SCHEMA_DIR / f"{event_type}.json").exists()
    addresses = {c["address"] for c in json.loads(ASYNCAPI_PATH.read_text())["channels"].values()}
    assert {t.name for t in TOPIC_SPECS} <= addresses


def test_a_valid_placement_event_validates_against_its_committed_schema() -> None:
    schema = json.loads((SCHEMA_DIR / "se.placement.started.v1.json").read_text())
    jsonschema.validate(placement_started("0380-1", "P-1"), schema)


def test_an_overdue_unbooked_staff_meeting_validates_against_its_committed_schema() -> None:
    event_type = "se.natverk.meeting.staff_meeting_unbooked_overdue.v1"
    data = {
        "case_id": "0380-U1",
        "municipality": "0380",
        "referral_id": "r-1",
        "deadline": "2026-11-30T08:00:00",
        "responsible_role": "coordinator",
    }
    schema = json.loads((SCHEMA_DIR / f"{event_type}.json").read_text())
    jsonschema.validate(cloud_event(event_type, data, source="/natverk/scheduling"), schema)
    assert "2026-11-30" in EVENT_TYPES[event_type].model_validate(data).summary()


def test_safety_planning_examined_validates_against_its_committed_schema_and_allows_no_free_text() -> None:
    event_type = "se.natverk.referral.safety_planning_examined.v1"
    data = {"case_id": "0380-SP1", "municipality": "0380", "outcome": "no_network", "due": "2026-11-27"}
    schema = json.loads((SCHEMA_DIR / f"{event_type}.json").read_text())
    jsonschema.validate(cloud_event(event_type, data, source="/natverk/referrals"), schema)
    assert "no network" in EVENT_TYPES[event_type].model_validate(data).summary()
    with_a_note = cloud_event(event_type, {**data, "note": "free text"}, source="/natverk/referrals")
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(with_a_note, schema)


def test_a_meeting_held_may_say_when_it_took_place_and_one_published_before_still_validates() -> None:
    """``start``/``end`` were added with defaults: a record without them (all published before)
    reads as before, with neither; a record with them validates against the committed schema."""
    event_type = "se.natverk.meeting.held.v1"
    before = {"meeting_id": "m-1", "case_id": "0380-77", "municipality": "0380", "kind": "network_meeting"}
    before |= {"attended_staff": 2}
    now = before | {"start": "2026-11-24T09:00:00", "end": "2026-11-24T10:00:00"}
    schema = json.loads((SCHEMA_DIR / f"{event_type}.json").read_text())
    for data in (before, now):
        jsonschema.validate(cloud_event(event_type, data, source="/natverk/scheduling"), schema)
    old, new = (EVENT_TYPES[event_type].model_validate(d) for d in (before, now))
    assert (old.start, old.end) == (None, None)
    assert (str(new.start), str(new.end)) == ("2026-11-24 09:00:00", "2026-11-24 10:00:00")
    assert old.model_dump(exclude_none=True) == before  # nothing added to a record published before
