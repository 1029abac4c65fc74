"""A case's life as the case store reads it from the topics: placement events from the case
system and what the services' relays publish about the case (with their ``sequence``), reads
of it included.  For rebuild tests and ``bench/rebuild.py``: records of every kind, realistic.
"""

from __future__ import annotations

from collections import Counter

from contracts.access import CaseAccessedV1
from contracts.common import ContractModel
from contracts.network_support import SupportPlanChangedV1
from contracts.referrals import ReferralAcceptedV1, ReferralReceivedV1
from contracts.scheduling import MeetingBookedV1, MeetingHeldV1
from contracts.topics import NETWORK_SUPPORT, PLACEMENTS, REFERRALS, SCHEDULING
from tests.support.events import cloud_event, encode, placement_ended, placement_started, valid_pin

TOPIC_OF = {"referrals": REFERRALS, "scheduling": SCHEDULING, "network_support": NETWORK_SUPPORT}


def relayed(service: str, event_type: str, data: ContractModel, actor: str) -> tuple[str, dict]:
    """What ``service``'s relay publishes (its ``sequence`` is set by ``Relays.number``)."""
    event = cloud_event(event_type, data.model_dump(mode="json"), source=f"/natverk/{service}", actor=actor)
    event["subject"] = event["data"]["case_id"]
    return TOPIC_OF[service], event


class Relays:
    """Each service's relay numbers what it publishes in the order it publishes it (the
    notification ids a consumer tracks by): numbered once the stories are interleaved."""

    def __init__(self) -> None:
        self.published: Counter[str] = Counter()

    def number(self, event: dict) -> dict:
        service = event["source"].removeprefix("/natverk/")
        if service != event["source"]:
            self.published[service] += 1
            event["sequence"] = str(self.published[service])
        return event


def _read_by(service: str, case_id: str, municipality: str, resource: str) -> tuple[str, dict]:
    access = CaseAccessedV1(
        case_id=case_id,
        actor="user:handlaggare-7",
        actor_municipality=municipality,
        service=service,
        resource=resource,
        purpose="handlaggning",
        outcome="granted",
        municipality=municipality,
    )
    return relayed(service, "se.natverk.case.accessed.v1", access, "user:handlaggare-7")


def case_story(municipality: str, case_id: str, seed: int) -> list[tuple[str, dict]]:
    """Ten (topic, CloudEvent) pairs about one case, in the order they happen."""
    referral, placement, system = f"R-{case_id}", f"P-{case_id}", "system:referrals"
    facts = {"case_id": case_id, "municipality": municipality}
    meeting = {**facts, "meeting_id": f"M-{case_id}", "kind": "staff_meeting"}
    pin = valid_pin(seed)
    return [
        (PLACEMENTS, placement_started(case_id, placement, municipality=municipality, pin=pin)),
        relayed(
            "referrals",
            "se.natverk.referral.received.v1",
            ReferralReceivedV1(
                **facts,
                referral_id=referral,
                target="network_centre",
                child_status="placed",
                protected_identity=False,
                case_worker_id="cw-1",
                origin="placement",
                placement_id=placement,
            ),
            system,
        ),
        _read_by("referrals", case_id, municipality, "referral"),
        relayed(
            "referrals",
            "se.natverk.referral.accepted.v1",
            ReferralAcceptedV1(**facts, referral_id=referral, target="network_centre"),
            "user:samordnare-2",
        ),
        relayed(
            "scheduling",
            "se.natverk.meeting.booked.v1",
            MeetingBookedV1(
                **meeting,
                start="2026-11-24T09:00:00",
                end="2026-11-24T10:00:00",
                staff_ids=["s-1", "s-2"],
                referral_id=referral,
            ),
            "system:scheduling",
        ),
        _read_by("scheduling", case_id, municipality, "calendar"),
        relayed(
            "scheduling", "se.natverk.meeting.held.v1", MeetingHeldV1(**meeting, attended_staff=2), system
        ),
        relayed(
            "network_support",
            "se.natverk.support_plan.changed.v1",
            SupportPlanChangedV1(**facts, plan_id=f"SP-{case_id}", change="opened"),
            "user:natverkskonsulent-4",
        ),
        _read_by("network_support", case_id, municipality, "support_plan"),
        (PLACEMENTS, placement_ended(case_id, placement, municipality=municipality, pin=pin)),
    ]


def stories(cases: list[tuple[str, str]], relays: Relays | None = None) -> list[tuple[str, bytes, bytes]]:
    """(topic, key, value) records of every case's story, stories interleaved step by step."""
    relays = relays or Relays()
    told = [case_story(municipality, case_id, seed) for seed, (municipality, case_id) in enumerate(cases)]
    return [
        (topic, event["subject"].encode(), encode(relays.number(event)))
        for step in range(len(told[0]) if told else 0)
        for topic, event in (story[step] for story in told)
    ]
