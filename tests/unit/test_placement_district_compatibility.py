"""The optional ``district`` on placement events (issue 16, item 6): existing publishers are unaffected,
the committed schemas (which the AsyncAPI document names) say it is optional, and it can never carry a personal number."""

from __future__ import annotations

import json

import jsonschema
import pytest
from pydantic import ValidationError

from contracts.generate import ASYNCAPI_PATH, SCHEMA_DIR
from contracts.placements import PlacementChangedV1, PlacementEndedV1, PlacementStartedV1
from tests.support.events import placement_data, placement_ended, placement_started

PLACEMENT_TYPES = ("se.placement.started.v1", "se.placement.changed.v1", "se.placement.ended.v1")


def test_a_placement_event_published_before_districts_existed_is_still_accepted() -> None:
    for model, data in (
        (PlacementStartedV1, placement_data("0380-1", "P-1")),
        (PlacementChangedV1, placement_data("0380-1", "P-1")),
        (PlacementEndedV1, placement_ended("0380-1", "P-1")["data"]),
    ):
        assert "district" not in data
        assert model.model_validate(data).district is None


@pytest.mark.parametrize("event_type", PLACEMENT_TYPES)
def test_every_committed_placement_schema_offers_district_as_optional(event_type: str) -> None:
    schema = json.loads((SCHEMA_DIR / f"{event_type}.json").read_text())
    data_schema = schema["properties"]["data"] if "data" in schema.get("properties", {}) else schema
    text = json.dumps(schema)
    assert '"district"' in text
    assert "district" not in data_schema.get("required", [])


def test_an_event_with_a_district_validates_against_the_committed_schema() -> None:
    schema = json.loads((SCHEMA_DIR / "se.placement.started.v1.json").read_text())
    jsonschema.validate(placement_started("0380-1", "P-1", district="Hägersten-Älvsjö"), schema)
    jsonschema.validate(placement_started("0380-1", "P-1"), schema)


@pytest.mark.parametrize("event_type", PLACEMENT_TYPES)
def test_the_asyncapi_message_of_every_placement_type_is_the_schema_that_offers_district(
    event_type: str,
) -> None:
    messages = json.loads(ASYNCAPI_PATH.read_text())["components"]["messages"]
    [message] = [m for m in messages.values() if m["name"] == event_type]
    assert message["payload"]["$ref"] == f"schemas/{event_type}.json"


@pytest.mark.parametrize("district", ["199001011234", "", " Kista", "Kista 12", "x" * 61])
def test_a_district_that_is_not_a_name_is_refused(district: str) -> None:
    with pytest.raises(ValidationError):
        PlacementStartedV1.model_validate(placement_data("0380-1", "P-1", district=district))
