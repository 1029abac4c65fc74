"""A safety plan's Signs of Safety content: danger statements, each with a safety goal and a 0-10
scale recorded over time, and rules naming the network members responsible for keeping the child
safe.

These are ``SafetyPlan``'s commands on that content, mixed into it to keep the aggregate's module
small; the events they trigger, and how those change the plan, stay nested in ``SafetyPlan``, the
name they are stored under.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from typing import TYPE_CHECKING

from services.network_support.domain.plan_limits import (
    MAX_DANGER_STATEMENTS,
    MAX_RULES,
    MAX_SCALE_READINGS,
    SafetyPlanFull,
    check_room,
)
from services.network_support.domain.safety_plan_rules import (
    UnknownRule,
    UnknownStatement,
    check_on_map,
    check_scale,
)


class SafetyPlanContent:
    statements: dict[int, dict[str, object]]
    rules: dict[int, dict[str, object]]

    if TYPE_CHECKING:  # SafetyPlan's own, where its events are

        @property
        def is_concluded(self) -> bool: ...

        def _require_open(self, on: date | None = None) -> None: ...

        def _statement_added(
            self, statement_id: int, statement: str, goal: str, scale: int, on: date
        ) -> None: ...

        def _scale_recorded(
            self, statement_id: int, value: int, on: date, meeting_id: str | None
        ) -> None: ...

        def _rule_added(self, rule_id: int, text: str, responsible_member_ids: tuple[int, ...]) -> None: ...

        def _rule_revised(self, rule_id: int, text: str, responsible_member_ids: tuple[int, ...]) -> None: ...

    def add_danger_statement(self, statement: str, safety_goal: str, scale: int, on: date) -> int:
        self._require_open(on)
        check_scale(scale)
        check_room(len(self.statements), MAX_DANGER_STATEMENTS, SafetyPlanFull, "danger statements in a plan")
        statement_id = len(self.statements) + 1
        self._statement_added(statement_id, statement, safety_goal, scale, on)
        return statement_id

    def record_scale(self, statement_id: int, value: int, on: date, meeting_id: str | None = None) -> None:
        self._require_open(on)
        check_scale(value)
        if statement_id not in self.statements:
            raise UnknownStatement("no such danger statement in this plan")
        readings = self.statements[statement_id]["scales"]
        check_room(len(readings), MAX_SCALE_READINGS, SafetyPlanFull, "scale readings of a danger statement")  # type: ignore[arg-type]
        self._scale_recorded(statement_id, value, on, meeting_id)

    def add_rule(self, text: str, responsible_member_ids: tuple[int, ...], on_map: Collection[int]) -> int:
        """A rule names who in the network is responsible: members of the case's network map."""
        self._require_open()
        check_on_map(responsible_member_ids, on_map)
        check_room(len(self.rules), MAX_RULES, SafetyPlanFull, "rules in a plan")
        rule_id = len(self.rules) + 1
        self._rule_added(rule_id, text, tuple(responsible_member_ids))
        return rule_id

    def revise_rule(
        self, rule_id: int, text: str, responsible_member_ids: tuple[int, ...], on_map: Collection[int]
    ) -> None:
        self._require_open()
        if rule_id not in self.rules:
            raise UnknownRule("no such rule in this plan")
        check_on_map(responsible_member_ids, on_map)
        self._rule_revised(rule_id, text, tuple(responsible_member_ids))

    def rules_naming(self, member_id: int) -> list[int]:
        """The rules that keep ``member_id`` on the map: none while the plan is concluded."""
        if self.is_concluded:
            return []
        return [r for r, rule in self.rules.items() if member_id in rule["responsible_member_ids"]]  # type: ignore[operator]
