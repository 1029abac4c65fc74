"""Facts that happened (an examination, a school start, a session, a reading, a consent) cannot
be dated after today; the message names the field, never the date sent."""

from __future__ import annotations

from datetime import date


class DatedAfterToday(Exception):
    """A fact that happened was dated in the future."""


def require_happened(on: date, today: date, field: str = "on") -> None:
    if on > today:
        raise DatedAfterToday(f"{field}: a fact that happened cannot be dated after today")
