from __future__ import annotations

import pytest
from pydantic import ValidationError

from contracts.placements import PlacementEndedV1, PlacementStartedV1
from tests.support.events import placement_data


def test_a_well_formed_placement_start_is_accepted() -> None:
    started = PlacementStartedV1.model_validate(placement_data("0380-1", "P-1", school_change=True))
    assert started.summary() == "Placement started: jourhem under SoL, school change"


@pytest.mark.parametrize(
    ("override", "field"),
    [
        ({"municipality": "0181"}, "municipality"),
        ({"placement_type": "hotel"}, "placement_type"),
        ({"legal_basis": "LSS"}, "legal_basis"),
        ({"start_date": "2026-13-01"}, "start_date"),
        ({"case_id": ""}, "case_id"),
        ({"case_id": "201505152387"}, "case_id"),
        ({"child": {"pin": "201505152388", "protected_identity": False}}, "child.pin"),
        ({"child": {"pin": "201505152387"}}, "child.protected_identity"),
        ({"child_name": "Alva"}, "child_name"),
    ],
)
def test_a_placement_with_a_bad_field_is_refused_naming_the_field(override: dict, field: str) -> None:
    with pytest.raises(ValidationError) as error:
        PlacementStartedV1.model_validate({**placement_data("0380-1", "P-1"), **override})
    fields = {".".join(str(p) for p in e["loc"]) for e in error.value.errors()}
    assert field in fields


def test_a_placement_cannot_end_before_it_started() -> None:
    data = placement_data("0380-1", "P-1", end_date="2026-01-01", end_reason="breakdown")
    with pytest.raises(ValidationError, match="end_date must not be before start_date"):
        PlacementEndedV1.model_validate(data)


def test_a_case_id_that_hides_a_personal_identity_number_is_refused() -> None:
    data = placement_data("case-1505152387", "P-1")
    with pytest.raises(ValidationError, match="personal identity number"):
        PlacementStartedV1.model_validate(data)
