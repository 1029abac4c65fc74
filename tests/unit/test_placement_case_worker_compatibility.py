"""The optional ``case_worker_id`` on placement events (issue 15, item 3): existing publishers are
unaffected, the committed schemas say it is optional, and a record that carries it keeps it."""

from __future__ import annotations

import json

import jsonschema
import pytest

from contracts.generate import SCHEMA_DIR
from contracts.placements import PlacementChangedV1, PlacementEndedV1, PlacementStartedV1
from tests.support.events import placement_data, placement_ended, placement_started

PLACEMENT_TYPES = ("se.placement.started.v1", "se.placement.changed.v1", "se.placement.ended.v1")


def test_a_placement_event_published_without_a_case_worker_still_validates() -> None:
    for model, data in (
        (PlacementStartedV1, placement_data("0380-1", "P-1")),
        (PlacementChangedV1, placement_data("0380-1", "P-1")),
        (PlacementEndedV1, placement_ended("0380-1", "P-1")["data"]),
    ):
        assert "case_worker_id" not in data
        assert model.model_validate(data).case_worker_id is None


def test_a_placement_event_with_a_case_worker_keeps_it() -> None:
    data = placement_data("0380-1", "P-1", case_worker_id="handlaggare-7")
    assert PlacementStartedV1.model_validate(data).case_worker_id == "handlaggare-7"


@pytest.mark.parametrize("event_type", PLACEMENT_TYPES)
def test_every_committed_placement_schema_offers_case_worker_id_as_optional(event_type: str) -> None:
    schema = json.loads((SCHEMA_DIR / f"{event_type}.json").read_text())
    data_schema = schema["properties"]["data"] if "data" in schema.get("properties", {}) else schema
    assert '"case_worker_id"' in json.dumps(schema)
    assert "case_worker_id" not in data_schema.get("required", [])


def test_records_with_and_without_a_case_worker_validate_against_the_committed_schema() -> None:
    schema = json.loads((SCHEMA_DIR / "se.placement.started.v1.json").read_text())
    jsonschema.validate(placement_started("0380-1", "P-1", case_worker_id="handlaggare-7"), schema)
    jsonschema.validate(placement_started("0380-1", "P-1"), schema)
