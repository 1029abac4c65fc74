from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import TypeAdapter, ValidationError

from contracts.pin import PersonalIdentityNumber, is_valid_personal_identity_number, luhn_check_digit
from tests.support.events import valid_pin

PIN = TypeAdapter(PersonalIdentityNumber)


def test_the_tax_agency_example_number_is_valid_and_a_changed_check_digit_is_not() -> None:
    assert is_valid_personal_identity_number("198112189876")
    assert not is_valid_personal_identity_number("198112189877")


def test_coordination_numbers_add_sixty_to_the_day() -> None:
    assert is_valid_personal_identity_number(valid_pin(3, coordination=True))


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("19811218987", "exactly 12 digits"),
        ("1981121898766", "exactly 12 digits"),
        ("19811218-9876", "exactly 12 digits"),
        ("198113189876", "real date"),
        ("198102309871", "real date"),
        ("198112189877", "Luhn"),
    ],
)
def test_invalid_numbers_are_refused_with_a_reason_that_never_echoes_the_number(
    text: str, reason: str
) -> None:
    with pytest.raises(ValidationError) as error:
        PIN.validate_python(text)
    message = str(error.value.errors(include_input=False)[0]["msg"])
    assert reason in message
    assert text not in message


@given(st.integers(min_value=0, max_value=10_000))
def test_every_generated_test_number_passes_the_luhn_check(seed: int) -> None:
    pin = valid_pin(seed)
    assert is_valid_personal_identity_number(pin)
    assert luhn_check_digit(pin[2:11]) == int(pin[11])
