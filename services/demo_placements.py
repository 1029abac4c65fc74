"""The demo's placement events: the demo child's, and a few of this autumn around it."""

from __future__ import annotations

import uuid
from typing import Any

from contracts.pin import luhn_check_digit

MUNICIPALITY = "0380"
CASE_WORKER = "cw-0380-demo"  # the responsible case worker, by staff id (never a name)


def demo_pin(body: str = "20150515238") -> str:
    """A made-up child's number: the demo child's (born 2015-05-15), or another child's ``body``."""
    return body + str(luhn_check_digit(body[2:]))


# The autumn's other children: each its own child, never the demo child (a registerutdrag of the
# demo child must hold none of theirs).
OTHER_CHILDREN = {
    "0380": demo_pin("20120302417"),
    "1980": demo_pin("20100811624"),
    "2180": demo_pin("20170120935"),
}


def placement_event(
    case_id: str,
    *,
    municipality: str = MUNICIPALITY,
    placement_type: str = "jourhem",
    start_date: str = "2026-11-20",
    school_change: bool = True,
    family_home_id: str | None = None,
    ended: tuple[str, str] | None = None,
    placement_id: str | None = None,
    pin: str | None = None,
    kind: str = "started",
    district: str | None = "Centrum",
    case_worker_id: str | None = CASE_WORKER,
    occurred: str | None = None,
) -> dict[str, Any]:
    """A placement event as a case-management system reports it (``kind`` started or changed,
    on the day ``occurred``, else its start); ``ended`` is (end date, reason); the child is the
    demo child unless ``pin`` names another."""
    data: dict[str, Any] = {
        "placement_id": placement_id or f"PL-{case_id}",
        "case_id": case_id,
        "municipality": municipality,
        "child": {"pin": pin or demo_pin(), "protected_identity": False},
        "placement_type": placement_type,
        "legal_basis": "SoL",
        "start_date": start_date,
        "school_change": school_change,
        "family_home_id": family_home_id,
        "district": district,
        "case_worker_id": case_worker_id,
    }
    if ended:
        data["end_date"], data["end_reason"] = ended
    return {
        "specversion": "1.0",
        "id": str(uuid.uuid4()),
        "source": f"urn:se:kommun:{municipality}:case-management",
        "type": "se.placement.ended.v1" if ended else f"se.placement.{kind}.v1",
        "time": f"{occurred or (ended[0] if ended else start_date)}T08:30:00Z",
        "subject": case_id,
        "datacontenttype": "application/json",
        "data": data,
    }


def background_placements(tag: str) -> list[tuple[str, dict[str, Any]]]:
    """Other placements of the autumn in the three municipalities, as (case id, event): three
    other children, one in each municipality."""
    returned, broke_down, kinship = f"0380-HR-{tag}", f"1980-BD-{tag}", f"2180-NH-{tag}"
    uppsala, vasteras, gavle = (
        {
            "school_change": False,
            "pin": OTHER_CHILDREN[municipality],
            "district": district,
            "case_worker_id": None,
        }
        for municipality, district in zip(OTHER_CHILDREN, ("Gottsunda", "Bäckby", "Sätra"), strict=True)
    )
    return [
        (
            returned,
            placement_event(returned, placement_type="familjehem", start_date="2026-09-01", **uppsala),
        ),
        (
            returned,
            placement_event(
                returned,
                placement_type="familjehem",
                start_date="2026-09-01",
                ended=("2026-11-10", "home_return"),
                **uppsala,
            ),
        ),
        (
            broke_down,
            placement_event(
                broke_down, municipality="1980", placement_type="hvb", start_date="2026-10-15", **vasteras
            ),
        ),
        (
            broke_down,
            placement_event(
                broke_down,
                municipality="1980",
                placement_type="hvb",
                start_date="2026-10-15",
                ended=("2026-11-05", "breakdown"),
                **vasteras,
            ),
        ),
        (
            broke_down,
            placement_event(
                broke_down,
                municipality="1980",
                placement_type="familjehem",
                start_date="2026-11-06",
                placement_id=f"PL2-{broke_down}",
                **vasteras,
            ),
        ),
        (
            kinship,
            placement_event(
                kinship, municipality="2180", placement_type="natverkshem", start_date="2026-10-01", **gavle
            ),
        ),
    ]
