"""The one table from stored referral events to public CloudEvents (STYLE §5).

The child's personal identity number never leaves this service.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from contracts import referrals as public
from contracts.common import ContractModel
from contracts.topics import REFERRALS
from services.kit.publication import Outgoing, PublicationTable, case_access_rule
from services.referrals import SERVICE
from services.referrals.domain.missed_deadline import MissedDeadline
from services.referrals.domain.referral import Referral
from services.referrals.domain.safety_planning import SafetyPlanningExamination

SOURCE = f"/natverk/{SERVICE}"
# A missed deadline's public type, by the worklist obligation it was noted for (ADR 0025).
MISSED: dict[str, tuple[str, type[ContractModel]]] = {
    # Noted on the referral itself until 2026-12-05 (``Referral.ResponseOverdue``, below): the same
    # type and fields, the team it was sent to responsible.
    "referral_response": ("se.natverk.referral.response_overdue.v1", public.ReferralResponseOverdueV1),
    "case_worker_assignment": (
        "se.natverk.referral.case_worker_assignment_overdue.v1",
        public.ReferralCaseWorkerAssignmentOverdueV1,
    ),
    "declined_referral_follow_up": (
        "se.natverk.referral.declined_follow_up_overdue.v1",
        public.ReferralDeclinedFollowUpOverdueV1,
    ),
    "safety_planning_examination": (
        "se.natverk.referral.safety_planning_examination_overdue.v1",
        public.SafetyPlanningExaminationOverdueV1,
    ),
}


def _received(event: Referral.Received) -> Outgoing:
    return Outgoing(
        topic=REFERRALS,
        event_type="se.natverk.referral.received.v1",
        subject=event.case_id,
        data=public.ReferralReceivedV1(
            referral_id=str(event.originator_id),
            case_id=event.case_id,
            municipality=event.municipality,
            target=event.target,
            child_status=event.child_status,
            protected_identity=event.protected_identity,
            case_worker_id=event.case_worker_id,
            origin=event.origin,
            placement_id=event.placement_id,
        ),
    )


def _no_fields(event: Any) -> dict[str, Any]:
    return {}


def build_publication_table(facts_of: Any, case_of: Any = None) -> PublicationTable:
    """``facts_of(referral_id)`` gives (case_id, municipality, target) for lifecycle events;
    ``case_of(aggregate_id)`` (case_id, municipality) for a case's safety planning examined."""
    case_of = case_of or (lambda aggregate_id: facts_of(aggregate_id)[:2])

    def lifecycle(
        event_type: str,
        model: type[public.ReferralFacts],
        extra: Callable[[Any], dict[str, Any]] = _no_fields,
    ) -> Any:
        """The referral's facts and ``extra(event)``, the fields the event itself carries."""

        def rule(event: Any) -> Outgoing:
            case_id, municipality, target = facts_of(event.originator_id)
            data = model(
                referral_id=str(event.originator_id),
                case_id=case_id,
                municipality=municipality,
                target=target,
                **extra(event),
            )
            return Outgoing(REFERRALS, event_type, case_id, data)

        return rule

    def overdue(event: Referral.ResponseOverdue) -> Outgoing:
        """A note stored on the referral before 2026-12-05: published as it always was."""
        case_id, municipality, target = facts_of(event.originator_id)
        data = public.ReferralResponseOverdueV1(
            referral_id=str(event.originator_id),
            case_id=case_id,
            municipality=municipality,
            target=target,
            due=event.due,
            responsible_role=target,
        )
        return Outgoing(REFERRALS, "se.natverk.referral.response_overdue.v1", case_id, data)

    def examined(event: SafetyPlanningExamination.Examined) -> Outgoing:
        """Only the outcome staff recorded: asking for it, or a referral to the safety team that
        made it (itself published), stays unpublished (ADR 0036)."""
        case_id, municipality = case_of(event.originator_id)
        data = public.SafetyPlanningExaminedV1(
            case_id=case_id, municipality=municipality, outcome=event.outcome, due=event.due
        )
        return Outgoing(REFERRALS, "se.natverk.referral.safety_planning_examined.v1", case_id, data)

    def missed(event: MissedDeadline.Noted) -> Outgoing:
        """A worklist duty not done by its due day: the case, role and due day, nothing else (no
        decline reason: free text)."""
        event_type, model = MISSED[event.obligation]
        fields = {"due": event.due, "responsible_role": event.responsible_role}
        if event.referral_id is None:
            data = model(case_id=event.case_id, municipality=event.municipality, **fields)
        else:
            _, _, target = facts_of(UUID(event.referral_id))
            data = model(
                referral_id=event.referral_id,
                case_id=event.case_id,
                municipality=event.municipality,
                target=target,
                **fields,
            )
        return Outgoing(REFERRALS, event_type, event.case_id, data)

    rules: dict[type, Any] = {
        Referral.Received: _received,
        Referral.Accepted: lifecycle("se.natverk.referral.accepted.v1", public.ReferralAcceptedV1),
        Referral.Declined: lifecycle("se.natverk.referral.declined.v1", public.ReferralDeclinedV1),
        Referral.Closed: lifecycle("se.natverk.referral.closed.v1", public.ReferralClosedV1),
        Referral.Revoked: lifecycle("se.natverk.referral.revoked.v1", public.ReferralRevokedV1),
        Referral.CaseWorkerAssigned: lifecycle(
            "se.natverk.referral.case_worker_assigned.v1",
            public.ReferralCaseWorkerAssignedV1,
            lambda event: {"case_worker_id": event.case_worker_id},
        ),
        Referral.ResponseOverdue: overdue,
        Referral.ChildPlaced: lifecycle(
            "se.natverk.referral.child_placed.v1",
            public.ReferralChildPlacedV1,
            lambda event: {
                "placement_id": event.placement_id,
                "protected_identity": event.protected_identity,
            },
        ),
        SafetyPlanningExamination.Examined: examined,
        MissedDeadline.Noted: missed,
        **case_access_rule(REFERRALS, SERVICE),
    }
    return PublicationTable(SOURCE, rules)
