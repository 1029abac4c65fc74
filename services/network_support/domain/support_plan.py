"""The Network Centre's plan for a family after an accepted referral: goals and actions."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from services.kit.domain.ids import stable_id
from services.network_support.domain.plan_limits import MAX_ACTIONS, MAX_GOALS, SupportPlanFull, check_room


class PlanError(Exception):
    """A rule of the support plan was broken."""


class UnknownAction(PlanError):
    """No such action in the plan."""


class SupportPlanClosed(PlanError):
    """A plan closed with its referral takes no more goals or actions: the worklist no longer shows
    them, so one added would be silently lost."""


class SupportPlan(Aggregate):
    class Opened(Aggregate.Created):
        municipality: str
        case_id: str
        referral_id: str

    class GoalAdded(Aggregate.Event):
        goal: str

    class ActionAdded(Aggregate.Event):
        action_id: int
        description: str
        owner_role: str
        due: date

    class ActionCompleted(Aggregate.Event):
        action_id: int

    class Closed(Aggregate.Event):
        """The referral that opened the plan was closed or revoked."""

        why: str

    @staticmethod
    def id_for(referral_id: str) -> UUID:
        return stable_id("network_support", "support-plan", referral_id)

    @classmethod
    def create_id(cls, referral_id: str, **_: object) -> UUID:
        return cls.id_for(referral_id)

    @event(Opened)
    def __init__(self, municipality: str, case_id: str, referral_id: str) -> None:
        self.municipality, self.case_id, self.referral_id = municipality, case_id, referral_id
        self.goals: list[str] = []
        self.actions: dict[int, dict[str, object]] = {}
        self.closed_because: str | None = None

    def add_goal(self, goal: str) -> None:
        self._require_open()
        check_room(len(self.goals), MAX_GOALS, SupportPlanFull, "goals in a support plan")
        self._goal_added(goal)

    def add_action(self, description: str, owner_role: str, due: date) -> int:
        self._require_open()
        check_room(len(self.actions), MAX_ACTIONS, SupportPlanFull, "actions in a support plan")
        action_id = len(self.actions) + 1
        self._action_added(action_id, description, owner_role, due)
        return action_id

    def complete_action(self, action_id: int) -> None:
        self._require_open()
        if action_id not in self.actions:
            raise UnknownAction("no such action in this plan")
        if self.actions[action_id]["status"] != "done":
            self._action_completed(action_id)

    def close(self, why: str) -> None:
        if self.closed_because is None:
            self._closed(why)

    def _require_open(self) -> None:
        if self.closed_because is not None:
            raise SupportPlanClosed("the support plan is closed with its referral: it does not change")

    @event(Closed)
    def _closed(self, why: str) -> None:
        self.closed_because = why

    @event(GoalAdded)
    def _goal_added(self, goal: str) -> None:
        self.goals.append(goal)

    @event(ActionAdded)
    def _action_added(self, action_id: int, description: str, owner_role: str, due: date) -> None:
        self.actions[action_id] = {
            "description": description,
            "owner_role": owner_role,
            "due": due,
            "status": "open",
        }

    @event(ActionCompleted)
    def _action_completed(self, action_id: int) -> None:
        self.actions[action_id]["status"] = "done"
