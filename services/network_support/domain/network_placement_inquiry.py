"""Whether a placed child could live with someone in their network (nätverksplacering)."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from services.kit.domain.ids import stable_id

OUTCOMES = ("network_home_found", "not_suitable", "declined")
# The placement's own events conclude an inquiry still open: it ended, it became a network home, or
# it said the child is protected (asking the network would tell it where the child is: ADR 0032).
PLACEMENT_ENDED, NETWORK_PLACEMENT_MADE = "placement_ended", "network_placement_made"
CHILD_PROTECTED = "child_protected"


class InquiryError(Exception):
    """A rule of the inquiry was broken."""


class InquiryConcluded(InquiryError):
    """A concluded inquiry does not change."""


class NetworkPlacementInquiry(Aggregate):
    class Opened(Aggregate.Created):
        municipality: str
        case_id: str
        placement_id: str

    class CandidatesNamed(Aggregate.Event):
        member_ids: tuple[int, ...]

    class Concluded(Aggregate.Event):
        outcome: str
        reason: str

    class OutcomeOverdue(Aggregate.Event):
        """No outcome by ``due``: noted once (a periodic sweep)."""

        due: date

    @staticmethod
    def id_for(municipality: str, placement_id: str) -> UUID:
        return stable_id("network_support", "inquiry", municipality, placement_id)

    @classmethod
    def create_id(cls, municipality: str, placement_id: str, **_: object) -> UUID:
        return cls.id_for(municipality, placement_id)

    @event(Opened)
    def __init__(self, municipality: str, case_id: str, placement_id: str) -> None:
        self.municipality, self.case_id, self.placement_id = municipality, case_id, placement_id
        self.candidates: tuple[int, ...] = ()
        self.outcome: str | None = None
        self.reason: str | None = None
        self.overdue_noted_for: date | None = None

    def name_candidates(self, member_ids: tuple[int, ...]) -> None:
        self._require_open()
        self._candidates_named(tuple(member_ids))

    def conclude(self, outcome: str, reason: str) -> None:
        self._require_open()
        self._concluded(outcome, reason)

    def end_with_placement(self, outcome: str, reason: str) -> None:
        """The placement's own events (or the case's protection, said by a referral) conclude the
        inquiry while it is open; a concluded one stays."""
        if self.outcome is None:
            self._concluded(outcome, reason)

    def note_outcome_overdue(self, due: date, today: date) -> bool:
        """Note, once, that the inquiry has no outcome by ``due``; whether it was newly noted."""
        newly = self.outcome is None and today > due and self.overdue_noted_for is None
        if newly:
            self._outcome_overdue(due)
        return newly

    def _require_open(self) -> None:
        if self.outcome is not None:
            raise InquiryConcluded(f"the inquiry concluded: {self.outcome}")

    @event(CandidatesNamed)
    def _candidates_named(self, member_ids: tuple[int, ...]) -> None:
        self.candidates = tuple(member_ids)

    @event(Concluded)
    def _concluded(self, outcome: str, reason: str) -> None:
        self.outcome, self.reason = outcome, reason

    @event(OutcomeOverdue)
    def _outcome_overdue(self, due: date) -> None:
        self.overdue_noted_for = due
