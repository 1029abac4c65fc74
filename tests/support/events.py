"""Building realistic inbound events for tests: valid personal identity numbers, CloudEvents."""

from __future__ import annotations

import json
import random
import uuid
from datetime import date
from typing import Any

from contracts.pin import luhn_check_digit


def case_system_source(municipality: str = "0380") -> str:
    """The documented shape of a case system's source, bound to its municipality (ARCHITECTURE §3)."""
    return f"urn:se:kommun:{municipality}:case-system"


PLACEMENTS_SOURCE = case_system_source("0380")


def valid_pin(seed: int = 0, coordination: bool = False) -> str:
    """A Luhn-valid twelve-digit personal identity (or coordination) number for a child."""
    rng = random.Random(seed)
    # At most 18 today and born by 2023 (tests place children from fixed dates in 2026): care is 0-20.
    first_year = max(2008, date.today().year - 18)
    born = date(first_year + rng.randint(0, 2023 - first_year), rng.randint(1, 12), rng.randint(1, 28))
    day = born.day + (60 if coordination else 0)
    body = f"{born.year:04d}{born.month:02d}{day:02d}{rng.randint(0, 999):03d}"
    return body + str(luhn_check_digit(body[2:]))


def placement_data(
    case_id: str,
    placement_id: str,
    municipality: str = "0380",
    pin: str | None = None,
    protected_identity: bool = False,
    placement_type: str = "jourhem",
    school_change: bool = False,
    family_home_id: str | None = None,
    **extra: Any,
) -> dict[str, Any]:
    return {
        "placement_id": placement_id,
        "case_id": case_id,
        "municipality": municipality,
        "child": {"pin": pin or valid_pin(hash(case_id) % 1000), "protected_identity": protected_identity},
        "placement_type": placement_type,
        "legal_basis": "SoL",
        "start_date": "2026-11-20",
        "school_change": school_change,
        "family_home_id": family_home_id,
        **extra,
    }


def cloud_event(
    event_type: str, data: dict[str, Any], event_id: str | None = None, **envelope: Any
) -> dict[str, Any]:
    return {
        "specversion": "1.0",
        "id": event_id or str(uuid.uuid4()),
        "source": case_system_source(data.get("municipality", "0380")),
        "type": event_type,
        "time": "2026-11-20T10:00:00Z",
        "subject": data.get("case_id", "unknown"),
        "datacontenttype": "application/json",
        "data": data,
        **envelope,
    }


def placement_started(
    case_id: str, placement_id: str, event_id: str | None = None, **kwargs: Any
) -> dict[str, Any]:
    return cloud_event("se.placement.started.v1", placement_data(case_id, placement_id, **kwargs), event_id)


def placement_ended(
    case_id: str,
    placement_id: str,
    end_reason: str = "home_return",
    event_id: str | None = None,
    **kwargs: Any,
) -> dict[str, Any]:
    data = placement_data(case_id, placement_id, end_date="2026-12-20", end_reason=end_reason, **kwargs)
    return cloud_event("se.placement.ended.v1", data, event_id)


def encode(event: dict[str, Any]) -> bytes:
    return json.dumps(event).encode("utf-8")
