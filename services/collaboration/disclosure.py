"""The disclosure filter: the one gate between the pool's records and a partner topic.

An allow-list per partner event type: a field not on the list never leaves,
whatever the caller put in.  Every value that survives is checked for
anything that looks like a personal identity number; a message that still
carries one is stopped whole rather than trimmed, because something upstream
is wrong (ARCHITECTURE §2.4).
"""

from __future__ import annotations

import re
from typing import Any

from contracts.pin import luhn_check_digit

ALLOWED_FIELDS: dict[str, frozenset[str]] = {
    "se.natverk.partner.family_home.v1": frozenset(
        {
            "home_id",
            "owner_municipality",
            "change",
            "capacity",
            "free_places",
            "age_min",
            "age_max",
            "specialisations",
            "languages",
            "available",
        }
    ),
    "se.natverk.partner.matching_request.v1": frozenset(
        {
            "request_id",
            "requester_municipality",
            "change",
            "age_band",
            "placement_type",
            "needs",
            "from_date",
            "expires_at",
        }
    ),
    "se.natverk.partner.offer.v1": frozenset(
        {
            "request_id",
            "offer_id",
            "offering_municipality",
            "requester_municipality",
            "home_id",
            "change",
        }
    ),
    "se.natverk.partner.activity.v1": frozenset(
        {
            "activity_id",
            "host_municipality",
            "kind",
            "title",
            "starts_at",
            "seats",
            "seats_free",
            "change",
        }
    ),
    "se.natverk.partner.seat_booking.v1": frozenset(
        {
            "activity_id",
            "booking_id",
            "booking_municipality",
            "seats",
            "change",
        }
    ),
}

# A 10- or 12-digit number, or the same with a dash or plus before the last four digits, standing
# alone: not part of a longer word or a UUID.  Luhn alone decides (no date check): better to stop
# an innocent message than to let a coordination number or a typo-dated one through.
PERSONAL_NUMBER_SHAPE = re.compile(r"(?<![\w-])(?:\d{6}|\d{8})[-+]?\d{4}(?![\w-])")


class Withheld(Exception):
    """The message may not go to a partner at all."""


def disclose(event_type: str, record: dict[str, Any]) -> dict[str, Any]:
    """Only the allow-listed fields of ``record``; Withheld if the type is unknown or a value looks personal."""
    allowed = ALLOWED_FIELDS.get(event_type)
    if allowed is None:
        raise Withheld(f"{event_type} is not a partner event type")
    kept = {key: value for key, value in record.items() if key in allowed}
    for value in _scalars(kept):
        if isinstance(value, str) and _looks_like_a_personal_identity_number(value):
            raise Withheld("a value looks like a personal identity number")
    return kept


def _scalars(value: Any) -> list[Any]:
    if isinstance(value, dict):
        return [leaf for item in value.values() for leaf in _scalars(item)]
    if isinstance(value, (list, tuple, set, frozenset)):
        return [leaf for item in value for leaf in _scalars(item)]
    return [value]


def _looks_like_a_personal_identity_number(text: str) -> bool:
    return any(luhn_valid(re.sub(r"\D", "", match)[-10:]) for match in PERSONAL_NUMBER_SHAPE.findall(text))


def luhn_valid(ten_digits: str) -> bool:
    return luhn_check_digit(ten_digits[:9]) == int(ten_digits[9])
