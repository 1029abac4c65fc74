"""Personal identity numbers of children born on a given day, for tests of the care ages."""

from __future__ import annotations

from datetime import date

from contracts.pin import COORDINATION_DAY_OFFSET, luhn_check_digit


def pin_born(born: date, coordination: bool = False, serial: str = "238") -> str:
    """A Luhn-valid number (a coordination number: day + 60) of someone born on ``born``."""
    day = born.day + (COORDINATION_DAY_OFFSET if coordination else 0)
    body = f"{born.year:04d}{born.month:02d}{day:02d}{serial}"
    return body + str(luhn_check_digit(body[2:]))
