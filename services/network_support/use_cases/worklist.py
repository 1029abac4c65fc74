"""network_support's worklist (issue 16 item 3): the placement clocks, the open safety plans'
six-monthly follow-ups, the network-placement inquiries without an outcome, the follow-up after a
child went home (``HomeReturnProcess.follow_up_due``, the Network Centre's: DOMAIN.md step 6) and
the open actions of open support plans (due on their due date, for their owner role).

The index keeps each of these aggregates replayed in memory from the notification log, so the
due dates are the domain's own (``PlacementFollowUp.due_dates``, ``SafetyPlan.follow_up_due``) and
a worklist page loads nothing from the store.  A duty of the Network Centre or the safety team is
for the case's case worker where its municipality has no such team (``NATVERK_REFERRAL_TARGETS``,
the setting referrals reads).  A placement's case_worker clocks are assigned to the case worker its
placement events last named (None until one is named); the decision on lasting care after six
months in an emergency home is made in the case system, whose change closes it, so its item points
at the placement (ADR 0033).  An inquiry is due ``NATVERK_INQUIRY_OUTCOME_DAYS`` after it was
opened; the sweep notes each one without an outcome by then, once, as another notes each missed
follow-up after a return home.

A role filter (``DUTY_ROLES``) takes the roles that hold these duties: the case worker, the two teams,
the coordinator (who leads both teams, so also answers for theirs) and the Centre's functions that
own support-plan actions (family therapist, pedagogue, parent supporter: no role of a token, so
their actions are also the Network Centre's, whose staff sign in as it, and its coordinator's).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any, get_args
from uuid import UUID

from services.kit.auth import KNOWN_ROLES, Caller
from services.kit.index import CatchUpIndex, every_event_of
from services.kit.pages import PageRequest
from services.kit.settings_teams import DEFAULT_TARGETS
from services.kit.sweeps import saved_unless_taken
from services.kit.worklist import LOCAL, Duty, Worklist, WorklistFilter, worklist
from services.kit.worklist_filters import DutyRoles
from services.network_support.commands import OwnerRole
from services.network_support.domain.home_return import HomeReturnProcess
from services.network_support.domain.network_placement_inquiry import NetworkPlacementInquiry
from services.network_support.domain.placement_follow_up import PlacementFollowUp
from services.network_support.domain.safety_plan import SafetyPlan
from services.network_support.domain.support_plan import SupportPlan
from services.network_support.domain.teams import Teams
from services.network_support.use_cases.base import NetworkSupportBase

DEFAULT_INQUIRY_OUTCOME_DAYS = 30
CLOCK_ROLES = {
    "parent_support": "network_centre",
    "school_start": "case_worker",
    "health_examination": "case_worker",
    "dental_examination": "case_worker",
    "lasting_care_decision": "case_worker",
}
CLOCK_ACTIONS = {  # where to act, under the placement's path
    "parent_support": "/parent-support/offers",
    "school_start": "/school-start",
    "health_examination": "/examinations",
    "dental_examination": "/examinations",
    # decided in the case system, whose change to a lasting type closes it: the placement to read
    "lasting_care_decision": "",
}
# Who answers for each role a duty here names (the module's docstring says why).
_LED_BY_COORDINATOR = frozenset({"coordinator"})
_CENTRE_FUNCTIONS = frozenset(get_args(OwnerRole)) - KNOWN_ROLES
DUTY_ROLES = DutyRoles.of(
    {
        "case_worker": (),
        "coordinator": (),
        "network_centre": _LED_BY_COORDINATOR,
        "safety_team": _LED_BY_COORDINATOR,
        **dict.fromkeys(_CENTRE_FUNCTIONS, frozenset({"network_centre", "coordinator"})),
    }
)

_FOLLOWED_AGGREGATES = (
    PlacementFollowUp,
    SafetyPlan,
    NetworkPlacementInquiry,
    SupportPlan,
    HomeReturnProcess,
)
_FOLLOWED = tuple(aggregate.Event for aggregate in _FOLLOWED_AGGREGATES)

# _FOLLOWED's aggregates are replayed whole: every event class of each.
FOLLOWED_EVENTS = every_event_of(*_FOLLOWED_AGGREGATES)


def _replay(rows: dict[Any, Any], e: Any) -> None:
    """Each followed aggregate as its events so far make it; the inquiry with the day it opened."""
    if isinstance(e, _FOLLOWED):
        rows[e.originator_id] = e.mutate(rows.get(e.originator_id))
        if isinstance(e, NetworkPlacementInquiry.Opened):
            rows[e.originator_id].opened_on = e.timestamp.astimezone(LOCAL).date()


class WorklistUseCases(NetworkSupportBase):
    def __init__(self, env: dict[str, str] | None = None) -> None:
        super().__init__(env)
        self._obligations = CatchUpIndex(self, _replay, events=FOLLOWED_EVENTS)
        self.inquiry_outcome_days = DEFAULT_INQUIRY_OUTCOME_DAYS
        self.teams = Teams(DEFAULT_TARGETS)

    def worklist(self, caller: Caller, wanted: WorklistFilter, page: PageRequest) -> Worklist:
        """The caller's municipality's open clocks, follow-ups and inquiries, earliest due first."""
        duties = (duty for key, followed in self._obligations.items() for duty in self._duties(key, followed))
        return worklist(duties, caller.municipality, wanted, page, self.today())

    def check_inquiry_deadlines(self) -> int:
        """Note each inquiry without an outcome by its due date, once (periodic job); how many."""
        today, noted = self.today(), 0
        for inquiry_id, followed in self._obligations.items():
            if isinstance(followed, NetworkPlacementInquiry) and followed.outcome is None:
                due = self._inquiry_due(followed)
                if today > due and followed.overdue_noted_for is None:
                    inquiry: NetworkPlacementInquiry = self.repository.get(inquiry_id)
                    if inquiry.note_outcome_overdue(due, today) and saved_unless_taken(self, inquiry):
                        noted += 1
        return noted

    def check_home_return_follow_ups(self) -> int:
        """Note each follow-up after a return home still open after its due day, once (periodic
        job); how many.  One another writer stored first is left to the next run (``saved_unless_taken``)."""
        today, noted = self.today(), 0
        for process_id, followed in self._obligations.items():
            if isinstance(followed, HomeReturnProcess) and _missed(followed, today):
                process: HomeReturnProcess = self.repository.get(process_id)
                role = self.teams.responsible("network_centre", process.municipality)
                if process.note_follow_up_overdue(today, role) and saved_unless_taken(self, process):
                    self.observer.home_return_follow_up_overdue(process.municipality)
                    noted += 1
        return noted

    def _inquiry_due(self, inquiry: NetworkPlacementInquiry) -> date:
        return inquiry.opened_on + timedelta(days=self.inquiry_outcome_days)  # type: ignore[attr-defined]

    def _duties(self, key: UUID, followed: Any) -> Iterator[Duty]:
        if isinstance(followed, PlacementFollowUp):
            for clock, due in followed.due_dates().items():
                role = self.teams.responsible(CLOCK_ROLES[clock], followed.municipality)
                action = f"/api/v1/placements/{followed.placement_id}{CLOCK_ACTIONS[clock]}"
                assignee = followed.case_worker_id if role == "case_worker" else None
                yield _duty(followed, clock, due, role, action, f"{key}/{clock}", assignee)
        elif isinstance(followed, SafetyPlan) and not followed.is_concluded:
            action = f"/api/v1/cases/{followed.case_id}/safety-plan/follow-ups"
            role = self.teams.responsible("safety_team", followed.municipality)
            yield _duty(followed, "safety_plan_follow_up", followed.follow_up_due, role, action, str(key))
        elif isinstance(followed, NetworkPlacementInquiry) and followed.outcome is None:
            action = f"/api/v1/placements/{followed.placement_id}/inquiry/outcome"
            due = self._inquiry_due(followed)
            role = self.teams.responsible("network_centre", followed.municipality)
            yield _duty(followed, "network_placement_inquiry", due, role, action, str(key))
        elif isinstance(followed, HomeReturnProcess) and followed.follow_up_due is not None:
            action = f"/api/v1/cases/{followed.case_id}/home-return"
            role = self.teams.responsible("network_centre", followed.municipality)
            yield _duty(followed, "home_return_follow_up", followed.follow_up_due, role, action, str(key))
        elif isinstance(followed, SupportPlan) and followed.closed_because is None:
            yield from _open_actions(key, followed)


def _missed(process: HomeReturnProcess, today: date) -> bool:
    """Past its follow-up's due day and not noted yet (read from the index's copy, never moved)."""
    due = process.follow_up_due
    return due is not None and today > due and process.follow_up_overdue_for != due


def _open_actions(key: UUID, plan: SupportPlan) -> Iterator[Duty]:
    """Each open action of the plan, for its owner role, by the referral's address of the plan."""
    for action_id, action in plan.actions.items():
        if action["status"] == "open":
            path = f"/api/v1/referrals/{plan.referral_id}/support-plan/actions/{action_id}/complete"
            role, due = str(action["owner_role"]), action["due"]
            yield _duty(plan, "support_plan_action", due, role, path, f"{key}/action/{action_id}")  # type: ignore[arg-type]


def _duty(
    of: Any, obligation: str, due: date, role: str, action: str, key: str, assignee: str | None = None
) -> Duty:
    return Duty(of.municipality, of.case_id, obligation, due, role, assignee, action, key)
