"""The demo's family homes: Uppsala's emergency home, and a Västerås home found through matching.

The demo child is placed in Uppsala's own emergency home; Uppsala asks its partners for a family
home, Västerås offers one, Uppsala accepts (the place is held), and the child moves there: the
case system's change names the home by the pool id Uppsala knows (ADR 0022), which frees the
emergency home's place and takes the Västerås one.
"""

from __future__ import annotations

from dataclasses import dataclass

from services.demo_context import UPPSALA, VASTERAS, Demo
from services.demo_story import Story
from services.kit.worklist import local_today


@dataclass(frozen=True)
class Homes:
    emergency: str  # Uppsala's own register id: what its case system names the first placement by
    emergency_pool_id: str
    partner_pool_id: str | None = None  # the Västerås home, once offered and accepted


def register_homes(demo: Demo, story: Story) -> Homes:
    story.chapter("Family homes in the pool")
    emergency = _register(demo, UPPSALA, f"FH-{demo.case_id}", capacity=2, specialisations=["emergency"])
    demo.call(
        "PUT",
        "collaboration",
        f"/api/v1/family-homes/{emergency}/sharing",
        "family_home_consultant",
        json={"shared_with": [VASTERAS]},
    )
    story.say(
        "Uppsala's family-home consultant registers an emergency home with two places and shares it with Västerås."
    )
    return Homes(emergency=f"FH-{demo.case_id}", emergency_pool_id=emergency)


def find_a_partner_home(demo: Demo, story: Story, homes: Homes) -> Homes:
    """Västerås shares a family home; Uppsala asks for one for the child, is offered it, accepts."""
    story.chapter("A family home from a partner municipality")
    partner = _register(demo, VASTERAS, f"VAS-{demo.case_id}", capacity=1, specialisations=[])
    demo.call(
        "PUT",
        "collaboration",
        f"/api/v1/family-homes/{partner}/sharing",
        "family_home_consultant",
        municipality=VASTERAS,
        json={"shared_with": [UPPSALA]},
    )
    story.say("Västerås shares a one-place family home with Uppsala.")
    request = demo.call(
        "POST",
        "collaboration",
        "/api/v1/matching-requests",
        "case_worker",
        json={
            "case_id": demo.case_id,
            "partners": [VASTERAS],
            "age_band": "6-12",
            "placement_type": "familjehem",
            "needs": [],
            "from_date": local_today().isoformat(),
            "protected_identity": False,
        },
    )
    request_id = request["request_id"]
    story.say("Uppsala's case worker asks the partners for a family home for an 11-year-old (ages 6-12).")
    offered = demo.call(
        "POST",
        "collaboration",
        f"/api/v1/matching-requests/{request_id}/offers",
        "family_home_consultant",
        municipality=VASTERAS,
        json={"home_id": partner},
    )
    story.say("Västerås offers its home; the pool checks that it fits the request (age band, type, needs).")
    demo.call(
        "POST",
        "collaboration",
        f"/api/v1/matching-requests/{request_id}/accept",
        "case_worker",
        json={"offer_id": offered["offer_id"]},
    )
    story.say(
        f"Uppsala accepts. The place is held for the child: Västerås's home now shows "
        f"{free_places(demo, partner)} free place(s) and cannot be offered again."
    )
    return Homes(homes.emergency, homes.emergency_pool_id, partner_pool_id=partner)


def free_places(demo: Demo, pool_id: str) -> int:
    return int(
        demo.call("GET", "collaboration", f"/api/v1/family-homes/{pool_id}", "family_home_consultant")[
            "free_places"
        ]
    )


def _register(
    demo: Demo, municipality: str, register_id: str, capacity: int, specialisations: list[str]
) -> str:
    created = demo.call(
        "POST",
        "collaboration",
        "/api/v1/family-homes",
        "family_home_consultant",
        municipality=municipality,
        json={
            "register_id": register_id,
            "kind": "recruited",
            "capacity": capacity,
            "age_min": 0,
            "age_max": 17,
            "specialisations": specialisations,
            "languages": ["sv"],
        },
    )
    return str(created["home_id"])
