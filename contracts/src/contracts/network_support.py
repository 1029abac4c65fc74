"""Integration events of the network_support service (topic ``natverk.network_support.v1``).

Network members appear only by id, relation and role: never by name.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from contracts.common import CaseId, ContractModel, Day, Identifier, Municipality

Relation = Literal[
    "mother",
    "father",
    "step_parent",
    "sibling",
    "grandparent",
    "aunt",
    "uncle",
    "cousin",
    "other_relative",
    "family_friend",
    "neighbour",
    "teacher",
    "coach",
    "other",
]
MemberRole = Literal["support_person", "safety_person", "possible_network_home"]
InquiryOutcome = Literal["network_home_found", "not_suitable", "declined"]  # what staff conclude
# what the placement's own events conclude an open inquiry with: it ended, became a natverkshem,
# or said the child is protected (asking the network would tell it where the child is)
InquiryEnding = Literal["placement_ended", "network_placement_made", "child_protected"]
SafetyPlanConclusion = Literal[
    "safety_goals_met", "child_placed", "family_moved", "family_withdrew", "case_closed"
]
HomeReturnPhase = Literal["preparation", "trial", "follow_up", "completed", "broken_off"]
SessionMode = Literal["phone", "in_person"]
Parent = Literal["mother", "father", "other"]


class CaseFacts(ContractModel):
    case_id: CaseId
    municipality: Municipality


class SupportPlanChangedV1(CaseFacts):
    plan_id: str
    change: Literal["opened", "goal_added", "action_added", "action_completed"]

    def summary(self) -> str:
        return f"Support plan: {self.change.replace('_', ' ')}"


class NetworkMapChangedV1(CaseFacts):
    member_id: int
    change: Literal["added", "changed", "removed"]
    relation: Relation | None = None
    roles: list[MemberRole] = []
    contact_consent: bool | None = None

    def summary(self) -> str:
        return f"Network map: member {self.member_id} {self.change}"


class SafetyPlanChangedV1(CaseFacts):
    """For ``concluded``: ``follow_up_due`` is the due date the stopped clock had, and ``reason``
    and ``concluded_on`` say why and when the plan ended (absent for every other change).
    ``reopened``: a concluded plan taken up again when concern returned, with its new
    ``follow_up_due`` (published as ``drafted`` before this value existed)."""

    version: int
    change: Literal[
        "drafted", "danger_statement_added", "rule_added", "revised", "followed_up", "concluded", "reopened"
    ]
    follow_up_due: Day
    reason: SafetyPlanConclusion | None = None
    concluded_on: Day | None = None

    def summary(self) -> str:
        if self.change == "concluded":
            why = f" ({self.reason.replace('_', ' ')})" if self.reason else ""
            return f"Safety plan v{self.version}: concluded{why}; no further follow-up"
        return f"Safety plan v{self.version}: {self.change.replace('_', ' ')} (follow-up due {self.follow_up_due})"


class SafetyScaleRecordedV1(CaseFacts):
    statement_id: int
    value: int
    on: Day

    def summary(self) -> str:
        return f"Safety scale for danger statement {self.statement_id}: {self.value}/10"


class NetworkPlacementInquiryV1(CaseFacts):
    placement_id: Identifier
    change: Literal["opened", "candidates_named", "concluded"]
    outcome: InquiryOutcome | InquiryEnding | None = None
    candidates: int = 0

    def summary(self) -> str:
        outcome = f": {self.outcome.replace('_', ' ')}" if self.outcome else ""
        return f"Network-placement inquiry {self.change.replace('_', ' ')}{outcome}"


class HomeReturnPhaseChangedV1(CaseFacts):
    phase: HomeReturnPhase
    on: Day
    retroactive: bool = False

    def summary(self) -> str:
        return f"Home-return process: {self.phase.replace('_', ' ')}"


class HomeReturnFollowUpOverdueV1(CaseFacts):
    """The follow-up after a child went home was neither completed nor broken off by its due date
    (once per process).  ``responsible_role``: the Network Centre, or the case worker where the
    municipality has none, as the worklist said when it was noted."""

    number: int = Field(ge=1, description="the case's home-return process, counted from 1")
    due: Day
    responsible_role: Literal["network_centre", "case_worker"]

    def summary(self) -> str:
        role = self.responsible_role.replace("_", " ")
        return f"Home-return follow-up overdue (due {self.due}); responsible: {role}"


class PlacementFollowUpRecordedV1(CaseFacts):
    placement_id: Identifier
    what: Literal[
        "opened",
        "parent_support_offered",
        "parent_support_session",
        "school_started",
        "health_examination",
        "dental_examination",
    ]
    on: Day
    days_from_placement: int
    mode: SessionMode | None = None
    parent: Parent | None = None

    def summary(self) -> str:
        return f"Placement follow-up: {self.what.replace('_', ' ')} ({self.days_from_placement} days after placement)"


class PlacementDeadlinePassedV1(CaseFacts):
    placement_id: Identifier
    clock: Literal[
        "parent_support",
        "school_start",
        "health_examination",
        "dental_examination",
        "lasting_care_decision",  # six months in an emergency home (jourhem) without lasting care
    ]

    def summary(self) -> str:
        return f"Deadline passed: {self.clock.replace('_', ' ')}"


class NetworkPlacementInquiryOverdueV1(CaseFacts):
    """A network-placement inquiry has no outcome by its due date (once per inquiry)."""

    placement_id: Identifier
    due: Day
    responsible_role: Literal["network_centre"] = "network_centre"

    def summary(self) -> str:
        return f"Network-placement inquiry without outcome (due {self.due}); responsible: network centre"


class SafetyPlanFollowUpOverdueV1(CaseFacts):
    """A Signs of Safety plan's six-monthly follow-up was not held by its due date (once per due date)."""

    due: Day
    responsible_role: Literal["safety_team"] = "safety_team"

    def summary(self) -> str:
        return f"Safety-plan follow-up overdue (due {self.due}); responsible: safety team"
