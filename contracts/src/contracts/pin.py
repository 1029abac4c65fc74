"""Swedish personal identity numbers (personnummer) and coordination numbers.

A number is twelve digits, YYYYMMDDNNNC: a real date (a coordination number,
samordningsnummer, adds 60 to the day), three digits and a Luhn check digit
computed over the last ten digits.  Only the validation, and the birth date and
age a number gives, live here: nothing in this module ever formats or logs a number.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated

from pydantic import AfterValidator, WithJsonSchema

_TWELVE_DIGITS = re.compile(r"\d{12}")
COORDINATION_DAY_OFFSET = 60


def luhn_check_digit(digits: str) -> int:
    """The Luhn digit that completes ``digits`` (nine digits for a personnummer)."""
    total = 0
    for index, char in enumerate(digits):
        product = int(char) * (2 if index % 2 == 0 else 1)
        total += product - 9 if product > 9 else product
    return (10 - total % 10) % 10


def birth_date(text: str) -> date:
    """The date a twelve-digit number starts with (a coordination number's day less 60).

    Raises ValueError when it is not a real date."""
    year, month, day = int(text[0:4]), int(text[4:6]), int(text[6:8])
    if day > COORDINATION_DAY_OFFSET:
        day -= COORDINATION_DAY_OFFSET
    return date(year, month, day)


def age_on(text: str, day: date) -> int:
    """Whole years from the number's birth date to ``day``; negative when born after ``day``."""
    born = birth_date(text)
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def _birth_date_is_real(text: str) -> bool:
    try:
        birth_date(text)
    except ValueError:
        return False
    return True


def is_valid_personal_identity_number(text: str) -> bool:
    """True for a twelve-digit number with a real date and a valid Luhn digit."""
    if not isinstance(text, str) or not _TWELVE_DIGITS.fullmatch(text):
        return False
    if not _birth_date_is_real(text):
        return False
    return luhn_check_digit(text[2:11]) == int(text[11])


# A personnummer as people write it: YYYYMMDDNNNC or YYMMDDNNNC, with '-' (or '+', 100 years
# and older) before the last four or not, not inside a longer run of digits.
_WRITTEN_SHAPES = re.compile(r"(?<!\d)(\d{6}|\d{8})[-+]?(\d{4})(?!\d)")


def contains_personal_identity_number(text: str) -> bool:
    """True when ``text`` holds a valid personal identity (or coordination) number in any shape it
    is written in; ten digits count when they are valid for either century."""
    for date_part, last_four in _WRITTEN_SHAPES.findall(text):
        digits = date_part + last_four
        candidates = [digits] if len(digits) == 12 else [f"19{digits}", f"20{digits}"]
        if any(is_valid_personal_identity_number(candidate) for candidate in candidates):
            return True
    return False


def _validate(text: str) -> str:
    # The message never echoes the value: validation errors end up in logs and DLQ headers.
    if not _TWELVE_DIGITS.fullmatch(text):
        raise ValueError("must be exactly 12 digits (YYYYMMDDNNNC)")
    if not _birth_date_is_real(text):
        raise ValueError("must start with a real date (YYYYMMDD, day+60 for a coordination number)")
    if luhn_check_digit(text[2:11]) != int(text[11]):
        raise ValueError("has an invalid Luhn check digit")
    return text


PersonalIdentityNumber = Annotated[
    str,
    AfterValidator(_validate),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": "^[0-9]{12}$",
            "description": "Swedish personal identity or coordination number, YYYYMMDDNNNC, Luhn-checked",
        }
    ),
]
