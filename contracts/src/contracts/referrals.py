"""Integration events published by the referrals service (topic ``natverk.referrals.v1``).

They never carry the child's personal identity number: only whether the
child has a protected identity, so that downstream services can withhold.
"""

from __future__ import annotations

from typing import Literal

from contracts.common import CaseId, ContractModel, Day, Identifier, Municipality

ReferralTarget = Literal["network_centre", "safety_team"]
ChildStatus = Literal["placed", "placement_near"]
ReferralOrigin = Literal["manual", "placement"]


class ReferralFacts(ContractModel):
    referral_id: str
    case_id: CaseId
    municipality: Municipality
    target: ReferralTarget

    _verb = "changed"

    def summary(self) -> str:
        return f"Referral to {self.target.replace('_', ' ')} {self._verb}"


class ReferralReceivedV1(ReferralFacts):
    child_status: ChildStatus
    protected_identity: bool
    case_worker_id: Identifier
    origin: ReferralOrigin
    placement_id: Identifier | None = None

    def summary(self) -> str:
        how = "automatically at placement" if self.origin == "placement" else "from case worker"
        return f"Referral to {self.target.replace('_', ' ')} received ({self.child_status}, {how})"


class ReferralAcceptedV1(ReferralFacts):
    _verb = "accepted"


class ReferralDeclinedV1(ReferralFacts):
    _verb = "declined"


class ReferralClosedV1(ReferralFacts):
    _verb = "closed"


class ReferralRevokedV1(ReferralFacts):
    _verb = "revoked"


class ReferralCaseWorkerAssignedV1(ReferralFacts):
    """The referral's responsible case worker was assigned, or changed to another."""

    case_worker_id: Identifier

    def summary(self) -> str:
        return f"Referral to {self.target.replace('_', ' ')}: responsible case worker assigned"


class ReferralResponseOverdueV1(ReferralFacts):
    """A referral was neither accepted nor declined by its due date (once per referral); the
    responsible role is the team it was sent to."""

    due: Day
    responsible_role: ReferralTarget

    def summary(self) -> str:
        return f"Referral response overdue (due {self.due}); responsible: {self.responsible_role.replace('_', ' ')}"


class ReferralCaseWorkerAssignmentOverdueV1(ReferralFacts):
    """An open referral still had no responsible case worker the day after ``due`` (7 days after
    it arrived: its staff meeting's deadline); once per referral.  The case workers are responsible."""

    due: Day
    responsible_role: Literal["case_worker"]

    def summary(self) -> str:
        return (
            f"Referral to {self.target.replace('_', ' ')}: no responsible case worker by {self.due} (overdue)"
        )


class ReferralDeclinedFollowUpOverdueV1(ReferralFacts):
    """A declined referral was not followed up (closed) by ``due`` (5 Swedish working days after
    it was declined); once per referral.  The case workers are responsible.  Never the decline's
    reason: it is free text."""

    due: Day
    responsible_role: Literal["case_worker"]

    def summary(self) -> str:
        return f"Declined referral to {self.target.replace('_', ' ')} not followed up by {self.due} (overdue)"


class ReferralChildPlacedV1(ReferralFacts):
    """The child of an open referral was placed: the referral, not a new one, follows the placement."""

    placement_id: Identifier
    # The referral's child has a protected identity (the placement said so, now or before): every
    # meeting of the case is then marked so.  Optional for the records relayed before it was added.
    protected_identity: bool = False

    def summary(self) -> str:
        return f"Referral to {self.target.replace('_', ' ')}: child placed"


SafetyPlanningOutcome = Literal[
    "safety_planning_started",  # begun without a referral to the safety team (e.g. where there is none)
    "not_suitable",  # examined: the concern or the family's situation does not fit the method
    "family_declined",  # the family did not want it (the method needs the family to take part)
    "no_network",  # nobody in the child's private network can take part
    "placement_no_longer_considered",  # the concern that asked for it has passed
]


class SafetyPlanningExaminedV1(ContractModel):
    """Staff recorded that the option of safety planning was examined for a case where placement
    was being considered (a referral to the Network Centre said placement is near), and its
    outcome; who did is the CloudEvent's ``actor``.  ``due``: the day it was to be examined by.
    A referral to the safety team, the other way the examination is made, is its own event."""

    case_id: CaseId
    municipality: Municipality
    outcome: SafetyPlanningOutcome
    due: Day

    def summary(self) -> str:
        return f"Safety planning examined: {self.outcome.replace('_', ' ')} (due {self.due})"


class SafetyPlanningExaminationOverdueV1(ContractModel):
    """Safety planning was not examined by ``due`` (7 days after a referral said placement is
    near) for a case where placement was being considered; once per examination asked for.
    ``responsible_role``: the safety team, or the case worker where the municipality has none."""

    case_id: CaseId
    municipality: Municipality
    due: Day
    responsible_role: Literal["safety_team", "case_worker"]

    def summary(self) -> str:
        who = self.responsible_role.replace("_", " ")
        return f"Safety planning not examined by {self.due} (overdue); responsible: {who}"
