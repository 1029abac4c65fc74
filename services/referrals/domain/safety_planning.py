"""Whether safety planning was examined for a case where placement is being considered.

DOMAIN.md (the safety team workflow, seed 001): "whenever there is concern for a child and
placement is being considered, the option of safety planning must always be examined."  A referral
to the Network Centre saying placement is near (``placement_near``) says exactly that, so it asks
for the examination; ``placed`` does not (the placement is decided, no longer considered).  A
referral to the safety team is the examination going ahead; otherwise staff record its outcome,
one of a closed set (``contracts.referrals.SafetyPlanningOutcome``, validated at the edge: no free
text, as it is published and free text could carry personal data).

One aggregate per case (municipality, case id).  An examination asked for and not yet made stays
asked for, from the first referral that asked (a second one keeps the first's deadline); one made
settles it, and a later referral saying placement is near asks again ("always").
"""

from __future__ import annotations

from datetime import date, timedelta
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from services.kit.domain.ids import stable_id

# The staff meeting's deadline (DOMAIN.md step 2: within one week): the examination is to be made
# by then, so that the meeting plans with its outcome known (ADR 0036).
EXAMINE_WITHIN = timedelta(days=7)
ASKING_TARGET, ASKING_STATUS = "network_centre", "placement_near"
SAFETY_TEAM = "safety_team"


class NothingToExamine(Exception):
    """The case has no examination of safety planning asked for and not yet made."""


def asks_for_examination(target: str, child_status: str) -> bool:
    """Whether a referral to ``target`` about a child of ``child_status`` asks for the examination."""
    return (target, child_status) == (ASKING_TARGET, ASKING_STATUS)


class SafetyPlanningExamination(Aggregate):
    class Opened(Aggregate.Created):
        municipality: str
        case_id: str

    class Asked(Aggregate.Event):
        """A referral said placement is being considered: examine safety planning by ``asked_on``
        + ``EXAMINE_WITHIN`` (``asked_on``: the Swedish day the referral arrived)."""

        referral_id: str
        asked_on: date

    class Examined(Aggregate.Event):
        """Staff recorded the examination's outcome (who: the kit's stamp); ``due``: its deadline."""

        outcome: str
        due: date

    class ReferredToSafetyTeam(Aggregate.Event):
        """A referral to the safety team was made: the examination is going ahead there."""

        referral_id: str

    @staticmethod
    def id_for(municipality: str, case_id: str) -> UUID:
        return stable_id("safety-planning-examination", municipality, case_id)

    @classmethod
    def create_id(cls, municipality: str, case_id: str, **_: object) -> UUID:
        return cls.id_for(municipality, case_id)

    @event(Opened)
    def __init__(self, municipality: str, case_id: str) -> None:
        self.municipality, self.case_id = municipality, case_id
        self.asked_on: date | None = None  # while an examination is asked for and not yet made
        self.outcome: str | None = None  # the latest one recorded
        self.outcome_due: date | None = None  # the day that one was to be made by

    @property
    def due(self) -> date | None:
        return None if self.asked_on is None else self.asked_on + EXAMINE_WITHIN

    def ask(self, referral_id: str, on: date) -> None:
        """Ask for the examination, unless one is asked for already (its deadline holds)."""
        if self.asked_on is None:
            self._asked(referral_id, on)

    def record(self, outcome: str) -> None:
        if self.due is None:
            raise NothingToExamine("the case has no examination of safety planning to record")
        self._examined(outcome, self.due)

    def refer_to_safety_team(self, referral_id: str) -> None:
        """The examination asked for goes ahead with the safety team (nothing asked: no change)."""
        if self.asked_on is not None:
            self._referred(referral_id)

    @event(Asked)
    def _asked(self, referral_id: str, asked_on: date) -> None:
        self.asked_on = asked_on

    @event(Examined)
    def _examined(self, outcome: str, due: date) -> None:
        self.asked_on, self.outcome, self.outcome_due = None, outcome, due

    @event(ReferredToSafetyTeam)
    def _referred(self, referral_id: str) -> None:
        self.asked_on = None
