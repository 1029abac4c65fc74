"""A placement is for a child or young person 0-20 years old on its start date (stodboende 16-20):
a record that breaks the rule is refused with a reason that names the fields, never the number."""

from __future__ import annotations

from datetime import date

import pytest

from contracts.pin import age_on, birth_date
from services.kit.inbound import InvalidRecord, parse_record
from tests.support.events import cloud_event, encode, placement_data, placement_ended, placement_started
from tests.support.pins import pin_born

START = date(2026, 11, 20)  # placement_data's start_date
PLACEMENT_EVENTS = {
    "started": lambda pin, **kw: placement_started("0380-1", "P-1", pin=pin, **kw),
    "changed": lambda pin, **kw: {
        **placement_started("0380-1", "P-1", pin=pin, **kw),
        "type": "se.placement.changed.v1",
    },
    "ended": lambda pin, **kw: placement_ended("0380-1", "P-1", pin=pin, **kw),
}


def refusal(pin: str, event: str = "started", **data: object) -> str:
    with pytest.raises(InvalidRecord) as refused:
        parse_record(encode(PLACEMENT_EVENTS[event](pin, **data)))
    reason = str(refused.value)
    assert pin not in reason and pin[2:] not in reason and pin[:8] not in reason
    return reason


@pytest.mark.parametrize("event", sorted(PLACEMENT_EVENTS))
def test_a_placement_of_a_child_born_after_its_start_is_refused_naming_the_fields(event: str) -> None:
    reason = refusal(pin_born(date(2026, 11, 21)), event)
    assert "data.start_date" in reason and "child.pin" in reason and "not yet born" in reason


@pytest.mark.parametrize("event", sorted(PLACEMENT_EVENTS))
def test_a_placement_of_someone_born_in_1960_is_refused_naming_the_fields(event: str) -> None:
    reason = refusal(pin_born(date(1960, 3, 4)), event)
    assert "data.start_date" in reason and "21 or older" in reason


def test_a_placement_starting_on_the_21st_birthday_is_refused() -> None:
    assert "21 or older" in refusal(pin_born(date(2005, 11, 20)))


@pytest.mark.parametrize("born", [date(2005, 11, 21), date(2026, 11, 20)])
def test_a_child_0_to_20_on_the_start_date_is_placed(born: date) -> None:
    assert parse_record(encode(placement_started("0380-1", "P-1", pin=pin_born(born)))).data


def test_a_placement_that_ends_after_the_young_person_turned_21_is_accepted() -> None:
    data = placement_data("0380-1", "P-1", pin=pin_born(date(2006, 1, 1)), end_date="2027-02-01")
    ended = cloud_event("se.placement.ended.v1", {**data, "end_reason": "age_out"})
    assert parse_record(encode(ended)).data


def test_stodboende_for_a_child_under_16_on_the_start_date_is_refused() -> None:
    reason = refusal(pin_born(date(2021, 6, 1)), placement_type="stodboende")
    assert "data.start_date" in reason and "stodboende is for ages 16-20" in reason


def test_stodboende_from_the_16th_birthday_is_accepted() -> None:
    event = placement_started("0380-1", "P-1", pin=pin_born(date(2010, 11, 20)), placement_type="stodboende")
    assert parse_record(encode(event)).data.placement_type == "stodboende"


def test_a_coordination_number_gives_the_birth_date_of_its_day_less_60() -> None:
    pin = pin_born(date(2012, 5, 17), coordination=True)
    assert (birth_date(pin), age_on(pin, START)) == (date(2012, 5, 17), 14)


def test_a_coordination_number_of_someone_21_or_older_is_refused_like_a_personnummer() -> None:
    assert "21 or older" in refusal(pin_born(date(2001, 2, 3), coordination=True))


def test_an_age_counts_whole_years_up_to_the_birthday() -> None:
    pin = pin_born(date(2010, 11, 20))
    assert [age_on(pin, date(2026, 11, d)) for d in (19, 20)] == [15, 16]
