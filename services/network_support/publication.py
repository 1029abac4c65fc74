"""The one table from stored network_support events to public CloudEvents (STYLE §5).

Network members' names are stored here and never published: members appear by id.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from contracts import network_support as public
from contracts.topics import NETWORK_SUPPORT
from services.kit.publication import Outgoing, PublicationTable, case_access_rule
from services.network_support import SERVICE
from services.network_support.domain.home_return import HomeReturnProcess
from services.network_support.domain.network_map import NetworkMap
from services.network_support.domain.network_placement_inquiry import NetworkPlacementInquiry
from services.network_support.domain.placement_follow_up import PlacementFollowUp
from services.network_support.domain.safety_plan import SafetyPlan
from services.network_support.domain.support_plan import SupportPlan

SOURCE = f"/natverk/{SERVICE}"
Loader = Callable[[Any, int], Any]  # (aggregate id, version) -> the aggregate as it was then

_FOLLOW_UP_WHAT = {
    PlacementFollowUp.Opened: "opened",
    PlacementFollowUp.ParentSupportOffered: "parent_support_offered",
    PlacementFollowUp.ParentSupportSessionRecorded: "parent_support_session",
    PlacementFollowUp.SchoolStarted: "school_started",
}


def build_publication_table(load: Loader) -> PublicationTable:
    def out(event_type: str, make: Callable[[Any, Any], Any]) -> Callable[[Any], Outgoing]:
        def rule(event: Any) -> Outgoing:
            aggregate = load(event.originator_id, event.originator_version)
            data = make(aggregate, event)
            return Outgoing(NETWORK_SUPPORT, event_type, aggregate.case_id, data)

        return rule

    def case(aggregate: Any) -> dict[str, str]:
        return {"case_id": aggregate.case_id, "municipality": aggregate.municipality}

    def plan(change: str) -> Callable[[Any], Outgoing]:
        return out(
            "se.natverk.support_plan.changed.v1",
            lambda a, e: public.SupportPlanChangedV1(**case(a), plan_id=str(a.id), change=change),
        )

    def network(change: str) -> Callable[[Any], Outgoing]:
        def make(a: Any, e: Any) -> Any:
            member = a.members.get(e.member_id, {}) if change != "removed" else {}
            return public.NetworkMapChangedV1(
                **case(a),
                member_id=e.member_id,
                change=change,
                relation=member.get("relation"),
                roles=list(member.get("roles", ())),
                contact_consent=member.get("contact_consent"),
            )

        return out("se.natverk.network_map.changed.v1", make)

    def safety(change: str) -> Callable[[Any], Outgoing]:
        def make(a: Any, e: Any) -> Any:
            ended = {"reason": e.reason, "concluded_on": e.on} if change == "concluded" else {}
            return public.SafetyPlanChangedV1(
                **case(a), version=a.plan_version, change=change, follow_up_due=a.follow_up_due, **ended
            )

        return out("se.natverk.safety_plan.changed.v1", make)

    def inquiry(change: str) -> Callable[[Any], Outgoing]:
        return out(
            "se.natverk.network_placement_inquiry.changed.v1",
            lambda a, e: public.NetworkPlacementInquiryV1(
                **case(a),
                placement_id=a.placement_id,
                change=change,
                outcome=a.outcome,
                candidates=len(a.candidates),
            ),
        )

    def follow_up(a: Any, e: Any) -> Any:
        what = _FOLLOW_UP_WHAT.get(type(e)) or f"{e.kind}_examination"
        on = getattr(e, "on", a.started_on)
        extra = {"mode": e.mode, "parent": e.parent} if what == "parent_support_session" else {}
        return public.PlacementFollowUpRecordedV1(
            **case(a),
            placement_id=a.placement_id,
            what=what,
            on=on,
            days_from_placement=(on - a.started_on).days,
            **extra,
        )

    recorded = out("se.natverk.placement_follow_up.recorded.v1", follow_up)
    home = out(
        "se.natverk.home_return.phase_changed.v1",
        lambda a, e: public.HomeReturnPhaseChangedV1(
            **case(a), phase=getattr(e, "phase", "preparation"), on=e.on, retroactive=a.retroactive
        ),
    )
    scale = out(
        "se.natverk.safety_plan.scale_recorded.v1",
        lambda a, e: public.SafetyScaleRecordedV1(
            **case(a), statement_id=e.statement_id, value=e.value, on=e.on
        ),
    )
    first_scale = out(
        "se.natverk.safety_plan.scale_recorded.v1",
        lambda a, e: public.SafetyScaleRecordedV1(
            **case(a), statement_id=e.statement_id, value=e.scale, on=e.on
        ),
    )
    passed = out(
        "se.natverk.placement_follow_up.deadline_passed.v1",
        lambda a, e: public.PlacementDeadlinePassedV1(**case(a), placement_id=a.placement_id, clock=e.clock),
    )
    overdue = out(
        "se.natverk.safety_plan.follow_up_overdue.v1",
        lambda a, e: public.SafetyPlanFollowUpOverdueV1(**case(a), due=e.due),
    )
    inquiry_overdue = out(
        "se.natverk.network_placement_inquiry.outcome_overdue.v1",
        lambda a, e: public.NetworkPlacementInquiryOverdueV1(
            **case(a), placement_id=a.placement_id, due=e.due
        ),
    )
    home_overdue = out(
        "se.natverk.home_return.follow_up_overdue.v1",
        lambda a, e: public.HomeReturnFollowUpOverdueV1(
            **case(a), number=a.number, due=e.due, responsible_role=e.responsible_role
        ),
    )
    return PublicationTable(
        SOURCE,
        {
            SupportPlan.Opened: plan("opened"),
            SupportPlan.GoalAdded: plan("goal_added"),
            SupportPlan.ActionAdded: plan("action_added"),
            SupportPlan.ActionCompleted: plan("action_completed"),
            NetworkMap.MemberAdded: network("added"),
            NetworkMap.MemberChanged: network("changed"),
            NetworkMap.MemberRemoved: network("removed"),
            SafetyPlan.Drafted: safety("drafted"),
            SafetyPlan.DangerStatementAdded: lambda e: [safety("danger_statement_added")(e), first_scale(e)],
            SafetyPlan.ScaleRecorded: scale,
            SafetyPlan.RuleAdded: safety("rule_added"),
            SafetyPlan.Revised: safety("revised"),
            SafetyPlan.FollowedUp: safety("followed_up"),
            SafetyPlan.FollowUpOverdue: overdue,
            SafetyPlan.Concluded: safety("concluded"),
            SafetyPlan.Reopened: safety("reopened"),
            NetworkPlacementInquiry.Opened: inquiry("opened"),
            NetworkPlacementInquiry.CandidatesNamed: inquiry("candidates_named"),
            NetworkPlacementInquiry.Concluded: inquiry("concluded"),
            NetworkPlacementInquiry.OutcomeOverdue: inquiry_overdue,
            HomeReturnProcess.Started: home,
            HomeReturnProcess.PhaseChanged: home,
            HomeReturnProcess.FollowUpOverdue: home_overdue,
            PlacementFollowUp.Opened: recorded,
            PlacementFollowUp.ParentSupportOffered: recorded,
            PlacementFollowUp.ParentSupportSessionRecorded: recorded,
            PlacementFollowUp.SchoolStarted: recorded,
            PlacementFollowUp.ExaminationDone: recorded,
            PlacementFollowUp.DeadlinePassed: passed,
            **case_access_rule(NETWORK_SUPPORT, SERVICE),
        },
    )
