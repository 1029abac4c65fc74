"""A Signs of Safety safety plan: danger statements, each with a safety goal and a 0-10 scale
recorded over time, rules with responsible network members, versions and follow-up, until it is
concluded (with a reason): then its follow-up clock stops and it changes no more, unless concern
returns and it is reopened (a plan can run for years), keeping what it held and its conclusions."""

from __future__ import annotations

from datetime import date, timedelta
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from services.kit.domain.ids import stable_id
from services.network_support.domain import safety_plan_rules as rules
from services.network_support.domain.safety_plan_content import SafetyPlanContent

FOLLOW_UP_INTERVAL = timedelta(days=182)  # at least every six months


class SafetyPlan(SafetyPlanContent, Aggregate):
    class Drafted(Aggregate.Created):
        municipality: str
        case_id: str
        started_on: date

    class DangerStatementAdded(Aggregate.Event):
        statement_id: int
        statement: str
        safety_goal: str
        scale: int
        on: date

    class ScaleRecorded(Aggregate.Event):
        statement_id: int
        value: int
        on: date
        meeting_id: str | None

    class RuleAdded(Aggregate.Event):
        rule_id: int
        text: str
        responsible_member_ids: tuple[int, ...]

    class RuleRevised(Aggregate.Event):
        rule_id: int
        text: str
        responsible_member_ids: tuple[int, ...]

    class Revised(Aggregate.Event):
        version: int
        on: date

    class FollowedUp(Aggregate.Event):
        """Followed up on ``on``: recorded by hand, or at the network meeting ``meeting_id`` held then."""

        on: date
        meeting_id: str | None = None  # absent in events stored before meetings counted

    class FollowUpOverdue(Aggregate.Event):
        """The follow-up due on ``due`` has not been held: noted once per due date."""

        due: date

    class Concluded(Aggregate.Event):
        """The plan ended (``reason``: a closed set, checked at the edge): no follow-up is due after it."""

        reason: str
        on: date

    class Reopened(Aggregate.Event):
        """Concern returned after the plan was concluded: its follow-up clock starts again from ``on``."""

        on: date

    @staticmethod
    def id_for(municipality: str, case_id: str) -> UUID:
        return stable_id("network_support", "safety-plan", municipality, case_id)

    @classmethod
    def create_id(cls, municipality: str, case_id: str, **_: object) -> UUID:
        return cls.id_for(municipality, case_id)

    @event(Drafted)
    def __init__(self, municipality: str, case_id: str, started_on: date) -> None:
        self.municipality, self.case_id = municipality, case_id
        self.open_since = started_on  # every fact of the plan is dated on or after it; reopening moves it
        self.last_fact_on = started_on  # the latest dated fact while open: no conclusion before it
        self.statements: dict[int, dict[str, object]] = {}
        self.rules: dict[int, dict[str, object]] = {}
        self.plan_version = 1
        self.last_follow_up = started_on
        self.follow_up_due = started_on + FOLLOW_UP_INTERVAL
        self.overdue_noted_for: date | None = None
        self.concluded_on: date | None = None
        self.conclusion_reason: str | None = None
        self.earlier_conclusions: list[tuple[str, date, date]] = []  # (reason, concluded, reopened on)

    @property
    def is_concluded(self) -> bool:
        return self.concluded_on is not None

    def revise(self, on: date) -> int:
        self._require_open(on)
        self._revised(self.plan_version + 1, on)
        return self.plan_version

    def follow_up(self, on: date) -> None:
        self._require_open(on)
        self._followed_up(on)

    def follow_up_at_meeting(self, meeting_id: str, on: date, today: date) -> None:
        """A network meeting held on ``on`` is the plan's follow-up (DOMAIN.md: a plan is followed up
        through network meetings); a concluded plan has none due, a meeting held before the plan was
        open was not about it, and one said held on a day after ``today`` has not happened yet (it
        would silence an overdue follow-up and hold the plan open past it): each counts for nothing."""
        if not self.is_concluded and self.open_since <= on <= today:
            self._followed_up(on, meeting_id)

    def conclude(self, reason: str, on: date) -> None:
        """Conclude the plan, once: its follow-up clock stops and later changes are refused."""
        self._require_open(on)
        rules.check_concluded_after_its_facts(on, self.last_fact_on)
        self._concluded(reason, on)

    def reopen(self, on: date) -> None:
        """Plan again after a conclusion; a plan still running needs nothing."""
        if self.is_concluded:  # never dated before the conclusion it reopens (a late record's day)
            self._reopened(max(on, self.concluded_on))  # type: ignore[type-var]

    def is_follow_up_overdue(self, today: date) -> bool:
        return not self.is_concluded and today > self.follow_up_due

    def _require_open(self, on: date | None = None) -> None:
        """Refuse any change to a concluded plan, and a fact dated ``on`` before the plan was open."""
        if self.is_concluded:
            raise rules.SafetyPlanConcluded("the safety plan is concluded: it does not change")
        if on is not None:
            rules.check_dated_while_open(on, self.open_since)

    def note_overdue_follow_up(self, today: date) -> bool:
        """Note an overdue follow-up once per due date; whether it was newly noted."""
        newly = self.is_follow_up_overdue(today) and self.overdue_noted_for != self.follow_up_due
        if newly:
            self._follow_up_overdue(self.follow_up_due)
        return newly

    @event(DangerStatementAdded)
    def _statement_added(
        self, statement_id: int, statement: str, safety_goal: str, scale: int, on: date
    ) -> None:
        self.statements[statement_id] = {
            "statement": statement,
            "safety_goal": safety_goal,
            "scales": [(on, scale)],
        }
        self._fact_on(on)

    @event(ScaleRecorded)
    def _scale_recorded(self, statement_id: int, value: int, on: date, meeting_id: str | None) -> None:
        self.statements[statement_id]["scales"].append((on, value))  # type: ignore[union-attr]
        self._fact_on(on)

    @event(RuleAdded)
    def _rule_added(self, rule_id: int, text: str, responsible_member_ids: tuple[int, ...]) -> None:
        self.rules[rule_id] = {"text": text, "responsible_member_ids": tuple(responsible_member_ids)}

    @event(RuleRevised)
    def _rule_revised(self, rule_id: int, text: str, responsible_member_ids: tuple[int, ...]) -> None:
        self.rules[rule_id] = {"text": text, "responsible_member_ids": tuple(responsible_member_ids)}

    @event(Revised)
    def _revised(self, version: int, on: date) -> None:
        self.plan_version = version
        self._fact_on(on)

    @event(FollowedUp)
    def _followed_up(self, on: date, meeting_id: str | None = None) -> None:
        self.last_follow_up = max(self.last_follow_up, on)
        self.follow_up_due = self.last_follow_up + FOLLOW_UP_INTERVAL
        self._fact_on(on)

    @event(FollowUpOverdue)
    def _follow_up_overdue(self, due: date) -> None:
        self.overdue_noted_for = due

    @event(Concluded)
    def _concluded(self, reason: str, on: date) -> None:
        self.concluded_on, self.conclusion_reason = on, reason

    @event(Reopened)
    def _reopened(self, on: date) -> None:
        self.earlier_conclusions.append((self.conclusion_reason, self.concluded_on, on))  # type: ignore[arg-type]
        self.concluded_on = self.conclusion_reason = None
        self.open_since = self.last_fact_on = on
        self.last_follow_up, self.follow_up_due = on, on + FOLLOW_UP_INTERVAL

    def _fact_on(self, on: date) -> None:
        # Facts dated before the plan was open were stored before that was refused: ignored here.
        self.last_fact_on = max(self.last_fact_on, on)
