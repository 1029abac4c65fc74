"""What callers ask network_support to do: the typed input of its use cases (and the API bodies)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from contracts.network_support import (
    HomeReturnPhase,
    InquiryOutcome,
    MemberRole,
    Parent,
    Relation,
    SafetyPlanConclusion,
    SessionMode,
)
from services.kit.bodies import JsonBool, JsonDate, JsonInt, StrictBody
from services.network_support.domain.network_map import ConsentScope

Text = Annotated[str, Field(min_length=1, max_length=2000)]


class OnDate(StrictBody):
    on: JsonDate


class Consent(StrictBody):
    scope: ConsentScope
    on: JsonDate = Field(description="the day consent was given: not after today")


class NewGoal(StrictBody):
    goal: Text


# Who owns a support-plan action: the coordinator, a function of the Network Centre, or the case
# worker.  The functions are not roles of a token: the Centre's staff sign in as network_centre.
OwnerRole = Literal["coordinator", "family_therapist", "family_pedagogue", "parent_supporter", "case_worker"]


class NewAction(StrictBody):
    description: Text
    owner_role: OwnerRole
    due: JsonDate


class MemberChange(StrictBody):
    relation: Relation
    roles: list[MemberRole] = Field(default_factory=list, max_length=3)
    contact_consent: JsonBool


class NewMember(MemberChange):
    name: str = Field(min_length=1, max_length=200, description="kept in this service only; never published")


class NewDangerStatement(StrictBody):
    statement: Text
    safety_goal: Text
    scale: JsonInt = Field(ge=0, le=10)
    on: JsonDate


class ScaleReading(StrictBody):
    statement_id: JsonInt = Field(ge=1)
    value: JsonInt = Field(ge=0, le=10)
    on: JsonDate
    meeting_id: str | None = Field(
        None,
        max_length=100,
        description="the network meeting (booked in scheduling) the reading comes from: it must be one of this "
        "case's network meetings, not cancelled, and `on` must be its day",
    )


class NewRule(StrictBody):
    text: Text
    responsible_member_ids: list[JsonInt] = Field(min_length=1, max_length=20)


class SafetyPlanEnd(StrictBody):
    reason: SafetyPlanConclusion
    on: JsonDate = Field(description="the day the plan was concluded: not after today")


class InquiryConclusion(StrictBody):
    outcome: InquiryOutcome
    reason: Text


class ParentSupportSession(StrictBody):
    on: JsonDate
    mode: SessionMode
    parent: Parent


class Examination(StrictBody):
    kind: Literal["health", "dental"]
    on: JsonDate


class PhaseMove(StrictBody):
    phase: HomeReturnPhase
    on: JsonDate
    reason: Text | None = Field(None, description="why the process was broken off: required for broken_off")
