"""HTTP API of network_support: every read goes through check_case_access (logged, own municipality)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Request
from pydantic import Field

from services.kit.access import DEFAULT_PURPOSE, PurposeHeader, check_case_access, log_own_case_read
from services.kit.auth import Caller
from services.kit.bodies import JsonBool, JsonDate, JsonInt, StrictBody
from services.kit.http import CallerDep, not_found, require_roles
from services.network_support.application import NetworkSupportApplication, NotFound

STAFF = ("case_worker", "coordinator", "network_centre", "safety_team")
READERS = (*STAFF, "auditor")
CaseIdPath = Annotated[str, Path(pattern=r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$")]
PlacementPath = Annotated[str, Path(pattern=r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$")]
Text = Annotated[str, Field(min_length=1, max_length=2000)]
MemberRole = Literal["support_person", "safety_person", "possible_network_home"]
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


class Goal(StrictBody):
    goal: Text


class Action(StrictBody):
    description: Text
    owner_role: Literal[
        "coordinator", "family_therapist", "family_pedagogue", "parent_supporter", "case_worker"
    ]
    due: JsonDate


class Member(StrictBody):
    name: str = Field(min_length=1, max_length=200, description="kept in this service only; never published")
    relation: Relation
    roles: list[MemberRole] = Field(default_factory=list, max_length=3)
    contact_consent: JsonBool


class MemberChange(StrictBody):
    relation: Relation
    roles: list[MemberRole] = Field(default_factory=list, max_length=3)
    contact_consent: JsonBool


class DangerStatement(StrictBody):
    statement: Text
    safety_goal: Text
    scale: JsonInt = Field(ge=0, le=10)
    on: JsonDate


class Scale(StrictBody):
    statement_id: JsonInt = Field(ge=1)
    value: JsonInt = Field(ge=0, le=10)
    on: JsonDate
    meeting_id: str | None = Field(
        None,
        max_length=100,
        description="the network meeting (booked in scheduling) the reading comes from: it must be one of this "
        "case's network meetings, not cancelled, and `on` must be its day",
    )


class Rule(StrictBody):
    text: Text
    responsible_member_ids: list[JsonInt] = Field(min_length=1, max_length=20)


class OnDate(StrictBody):
    on: JsonDate


class Outcome(StrictBody):
    outcome: Literal["network_home_found", "not_suitable", "declined"]
    reason: Text


class Session(StrictBody):
    on: JsonDate
    mode: Literal["phone", "in_person"]
    parent: Literal["mother", "father", "other"]


class Examination(StrictBody):
    kind: Literal["health", "dental"]
    on: JsonDate


class Phase(StrictBody):
    phase: Literal["preparation", "trial", "follow_up", "completed", "broken_off"]
    on: JsonDate


def _support_plan(plan: Any) -> dict[str, Any]:
    return {
        "plan_id": str(plan.id),
        "case_id": plan.case_id,
        "goals": plan.goals,
        "actions": [{"action_id": k, **v} for k, v in plan.actions.items()],
    }


def _network_map(network: Any) -> dict[str, Any]:
    return {
        "case_id": network.case_id,
        "members": [{"member_id": k, **v} for k, v in network.members.items()],
    }


def _safety_plan(plan: Any) -> dict[str, Any]:
    return {
        "case_id": plan.case_id,
        "version": plan.plan_version,
        "follow_up_due": plan.follow_up_due,
        "danger_statements": [{"statement_id": k, **v} for k, v in plan.statements.items()],
        "rules": [{"rule_id": k, **v} for k, v in plan.rules.items()],
    }


def _placement(follow_up: Any, inquiry: Any | None) -> dict[str, Any]:
    return {
        "placement_id": follow_up.placement_id,
        "case_id": follow_up.case_id,
        "started_on": follow_up.started_on,
        "due": follow_up.due_dates(),
        "deadlines_passed": sorted(follow_up.passed),
        "parent_support_offered_on": follow_up.parent_support_offered_on,
        "parent_support_sessions": len(follow_up.sessions),
        "school_started_on": follow_up.school_started_on,
        "examinations": follow_up.examinations,
        "inquiry": None
        if inquiry is None
        else {"outcome": inquiry.outcome, "candidates": list(inquiry.candidates)},
    }


def build_router() -> APIRouter:
    router = APIRouter(tags=["network support"])

    def app_of(request: Request) -> NetworkSupportApplication:
        return request.app.state.runtime.app

    def read(request: Request, caller: Caller, case_id: str, resource: str, purpose: str, load: Any) -> Any:
        """Load the caller's own municipality's object, log the read (found or not), then return it."""
        try:
            found = load()
        except NotFound:
            found = None
        log_own_case_read(
            app_of(request),
            request.app.state.runtime.metrics,
            caller,
            case_id,
            resource,
            purpose,
            found is not None,
        )
        return found

    def write(caller: Caller, load: Any) -> Any:
        require_roles(caller, *STAFF)
        try:
            return load()
        except NotFound as missing:
            raise not_found(str(missing).removeprefix("no ")) from None

    # support plan
    @router.get("/cases/{case_id}/support-plan")
    def get_support_plan(
        case_id: CaseIdPath, request: Request, caller: CallerDep, purpose: PurposeHeader = DEFAULT_PURPOSE
    ) -> dict:
        require_roles(caller, *READERS)
        return _support_plan(
            read(
                request,
                caller,
                case_id,
                "support-plan",
                purpose,
                lambda: app_of(request).support_plan_of(caller.municipality, case_id),
            )
        )

    @router.post("/cases/{case_id}/support-plan/goals")
    def add_goal(case_id: CaseIdPath, body: Goal, request: Request, caller: CallerDep) -> dict:
        return _support_plan(
            write(
                caller,
                lambda: app_of(request).change_support_plan(
                    caller.municipality, case_id, lambda p: p.add_goal(body.goal)
                ),
            )
        )

    @router.post("/cases/{case_id}/support-plan/actions")
    def add_action(case_id: CaseIdPath, body: Action, request: Request, caller: CallerDep) -> dict:
        return _support_plan(
            write(
                caller,
                lambda: app_of(request).change_support_plan(
                    caller.municipality,
                    case_id,
                    lambda p: p.add_action(body.description, body.owner_role, body.due),
                ),
            )
        )

    @router.post("/cases/{case_id}/support-plan/actions/{action_id}/complete")
    def complete_action(case_id: CaseIdPath, action_id: int, request: Request, caller: CallerDep) -> dict:
        return _support_plan(
            write(
                caller,
                lambda: app_of(request).change_support_plan(
                    caller.municipality, case_id, lambda p: p.complete_action(action_id)
                ),
            )
        )

    # network map
    @router.get("/cases/{case_id}/network-map")
    def get_network_map(
        case_id: CaseIdPath, request: Request, caller: CallerDep, purpose: PurposeHeader = DEFAULT_PURPOSE
    ) -> dict:
        require_roles(caller, *READERS)
        return _network_map(
            read(
                request,
                caller,
                case_id,
                "network-map",
                purpose,
                lambda: app_of(request).network_map(caller.municipality, case_id),
            )
        )

    @router.post("/cases/{case_id}/network-map/members", status_code=201)
    def add_member(case_id: CaseIdPath, body: Member, request: Request, caller: CallerDep) -> dict:
        member_id = write(
            caller,
            lambda: app_of(request).change_network_map(
                caller.municipality,
                case_id,
                lambda n: n.add_member(body.name, body.relation, tuple(body.roles), body.contact_consent),
            ),
        )
        return {"member_id": member_id}

    @router.put("/cases/{case_id}/network-map/members/{member_id}")
    def change_member(
        case_id: CaseIdPath, member_id: int, body: MemberChange, request: Request, caller: CallerDep
    ) -> dict:
        write(
            caller,
            lambda: app_of(request).change_network_map(
                caller.municipality,
                case_id,
                lambda n: n.change_member(member_id, body.relation, tuple(body.roles), body.contact_consent),
            ),
        )
        return {"member_id": member_id}

    @router.delete("/cases/{case_id}/network-map/members/{member_id}", status_code=200)
    def remove_member(case_id: CaseIdPath, member_id: int, request: Request, caller: CallerDep) -> dict:
        write(
            caller,
            lambda: app_of(request).change_network_map(
                caller.municipality, case_id, lambda n: n.remove_member(member_id)
            ),
        )
        return {"member_id": member_id, "removed": True}

    # safety plan
    @router.post("/cases/{case_id}/safety-plan", status_code=201)
    def draft_safety_plan(case_id: CaseIdPath, request: Request, caller: CallerDep) -> dict:
        return _safety_plan(
            write(caller, lambda: app_of(request).draft_safety_plan(caller.municipality, case_id))
        )

    @router.get("/cases/{case_id}/safety-plan")
    def get_safety_plan(
        case_id: CaseIdPath, request: Request, caller: CallerDep, purpose: PurposeHeader = DEFAULT_PURPOSE
    ) -> dict:
        require_roles(caller, *READERS)
        return _safety_plan(
            read(
                request,
                caller,
                case_id,
                "safety-plan",
                purpose,
                lambda: app_of(request).safety_plan(caller.municipality, case_id),
            )
        )

    def change_safety(request: Request, caller: Caller, case_id: str, change: Any) -> dict:
        write(caller, lambda: app_of(request).change_safety_plan(caller.municipality, case_id, change))
        return _safety_plan(app_of(request).safety_plan(caller.municipality, case_id))

    @router.post("/cases/{case_id}/safety-plan/danger-statements")
    def add_danger_statement(
        case_id: CaseIdPath, body: DangerStatement, request: Request, caller: CallerDep
    ) -> dict:
        return change_safety(
            request,
            caller,
            case_id,
            lambda p: p.add_danger_statement(body.statement, body.safety_goal, body.scale, body.on),
        )

    @router.post("/cases/{case_id}/safety-plan/scales")
    def record_scale(case_id: CaseIdPath, body: Scale, request: Request, caller: CallerDep) -> dict:
        write(
            caller,
            lambda: app_of(request).record_safety_scale(
                caller.municipality, case_id, body.statement_id, body.value, body.on, body.meeting_id
            ),
        )
        return _safety_plan(app_of(request).safety_plan(caller.municipality, case_id))

    @router.post("/cases/{case_id}/safety-plan/rules")
    def add_rule(case_id: CaseIdPath, body: Rule, request: Request, caller: CallerDep) -> dict:
        write(
            caller,
            lambda: app_of(request).add_safety_rule(
                caller.municipality, case_id, body.text, tuple(body.responsible_member_ids)
            ),
        )
        return _safety_plan(app_of(request).safety_plan(caller.municipality, case_id))

    @router.post("/cases/{case_id}/safety-plan/revisions")
    def revise(case_id: CaseIdPath, body: OnDate, request: Request, caller: CallerDep) -> dict:
        return change_safety(request, caller, case_id, lambda p: p.revise(body.on))

    @router.post("/cases/{case_id}/safety-plan/follow-ups")
    def follow_up_plan(case_id: CaseIdPath, body: OnDate, request: Request, caller: CallerDep) -> dict:
        return change_safety(request, caller, case_id, lambda p: p.follow_up(body.on))

    # placements: inquiry, parent support, school and health
    @router.get("/placements/{placement_id}")
    def get_placement(
        placement_id: PlacementPath,
        request: Request,
        caller: CallerDep,
        purpose: PurposeHeader = DEFAULT_PURPOSE,
    ) -> dict:
        require_roles(caller, *READERS)
        app = app_of(request)
        try:
            follow_up = app.follow_up(caller.municipality, placement_id)
        except NotFound:
            raise not_found("placement") from None
        check_case_access(
            app,
            request.app.state.runtime.metrics,
            caller,
            follow_up.case_id,
            follow_up.municipality,
            f"placement/{placement_id}",
            purpose,
        )
        try:
            inquiry = app.inquiry(caller.municipality, placement_id)
        except NotFound:
            inquiry = None
        return _placement(follow_up, inquiry)

    @router.post("/placements/{placement_id}/inquiry/candidates")
    def name_candidates(placement_id: PlacementPath, request: Request, caller: CallerDep) -> dict:
        inquiry = write(
            caller, lambda: app_of(request).name_candidates_from_map(caller.municipality, placement_id)
        )
        return {"candidates": list(inquiry.candidates)}

    @router.post("/placements/{placement_id}/inquiry/outcome")
    def conclude(placement_id: PlacementPath, body: Outcome, request: Request, caller: CallerDep) -> dict:
        inquiry = write(
            caller,
            lambda: app_of(request).conclude_inquiry(
                caller.municipality, placement_id, body.outcome, body.reason
            ),
        )
        return {"outcome": inquiry.outcome}

    def record(request: Request, caller: Caller, placement_id: str, change: Any) -> dict:
        app = app_of(request)
        follow_up = write(caller, lambda: app.record_follow_up(caller.municipality, placement_id, change))
        try:
            inquiry = app.inquiry(caller.municipality, placement_id)
        except NotFound:
            inquiry = None
        return _placement(follow_up, inquiry)

    @router.post("/placements/{placement_id}/parent-support/offers")
    def offer_parent_support(
        placement_id: PlacementPath, body: OnDate, request: Request, caller: CallerDep
    ) -> dict:
        return record(request, caller, placement_id, lambda f: f.offer_parent_support(body.on))

    @router.post("/placements/{placement_id}/parent-support/sessions")
    def record_session(
        placement_id: PlacementPath, body: Session, request: Request, caller: CallerDep
    ) -> dict:
        return record(
            request, caller, placement_id, lambda f: f.record_session(body.on, body.mode, body.parent)
        )

    @router.post("/placements/{placement_id}/school-start")
    def record_school_start(
        placement_id: PlacementPath, body: OnDate, request: Request, caller: CallerDep
    ) -> dict:
        return record(request, caller, placement_id, lambda f: f.record_school_start(body.on))

    @router.post("/placements/{placement_id}/examinations")
    def record_examination(
        placement_id: PlacementPath, body: Examination, request: Request, caller: CallerDep
    ) -> dict:
        return record(request, caller, placement_id, lambda f: f.record_examination(body.kind, body.on))

    # home return
    @router.get("/cases/{case_id}/home-return")
    def get_home_return(
        case_id: CaseIdPath, request: Request, caller: CallerDep, purpose: PurposeHeader = DEFAULT_PURPOSE
    ) -> dict:
        require_roles(caller, *READERS)
        process = read(
            request,
            caller,
            case_id,
            "home-return",
            purpose,
            lambda: app_of(request).home_return(caller.municipality, case_id),
        )
        return {
            "case_id": case_id,
            "phase": process.phase,
            "phases": process.phases,
            "retroactive": process.retroactive,
        }

    @router.post("/cases/{case_id}/home-return")
    def move_home_return(case_id: CaseIdPath, body: Phase, request: Request, caller: CallerDep) -> dict:
        process = write(
            caller,
            lambda: app_of(request).move_home_return(caller.municipality, case_id, body.phase, body.on),
        )
        return {
            "case_id": case_id,
            "phase": process.phase,
            "phases": process.phases,
            "retroactive": process.retroactive,
        }

    return router
