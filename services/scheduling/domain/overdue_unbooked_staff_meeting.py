"""A referral's staff meeting still not booked after its deadline's day, noted once (ADR 0025).

Its own aggregate, not an event of the ``UnbookedStaffMeeting``: the retry job books and settles
that one at the same time, and a note stored between its read and its save would make the retry
conflict and wait for the next change.  One per referral, by a stable id, so the sweep can run
again (or on two replicas) without noting it twice.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from services.kit.domain.ids import stable_id


class OverdueUnbookedStaffMeeting(Aggregate):
    class Noted(Aggregate.Created):
        municipality: str
        case_id: str
        referral_id: str
        deadline: datetime  # local wall-clock time, as the unbooked note's published deadline

    @staticmethod
    def id_for(municipality: str, referral_id: str) -> UUID:
        return stable_id("scheduling", "overdue-unbooked-staff-meeting", municipality, referral_id)

    @classmethod
    def create_id(cls, municipality: str, referral_id: str, **_: object) -> UUID:
        return cls.id_for(municipality, referral_id)

    @event(Noted)
    def __init__(self, municipality: str, case_id: str, referral_id: str, deadline: datetime) -> None:
        self.municipality, self.case_id, self.referral_id = municipality, case_id, referral_id
        self.deadline = deadline
