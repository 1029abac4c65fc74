"""What a safety plan refuses, and the checks of its values that say so."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date


class SafetyPlanError(Exception):
    """A rule of the safety plan was broken."""


class ScaleOutOfRange(SafetyPlanError):
    """Safety scales run from 0 to 10."""


class UnknownStatement(SafetyPlanError):
    """No such danger statement in the plan."""


class ResponsibleNotOnMap(SafetyPlanError):
    """A rule names a responsible person who is not on the case's network map."""


class UnknownRule(SafetyPlanError):
    """No such rule in the plan."""


class SafetyPlanConcluded(SafetyPlanError):
    """A concluded safety plan does not change."""


class DatedBeforeThePlan(SafetyPlanError):
    """A fact of the plan was dated before the plan was open: the record would contradict itself."""


class ConcludedBeforeItsFacts(SafetyPlanError):
    """A conclusion dated before a fact recorded while the plan was open: the plan would read
    concluded while it was still being followed up."""


def check_scale(value: int) -> None:
    if not 0 <= value <= 10:
        raise ScaleOutOfRange("a safety scale is a whole number from 0 to 10")


def check_on_map(responsible_member_ids: Collection[int], on_map: Collection[int]) -> None:
    if not set(responsible_member_ids) <= set(on_map):
        raise ResponsibleNotOnMap("responsible_member_ids: a member named is not on this case's network map")


def check_dated_while_open(on: date, open_since: date, field: str = "on") -> None:
    """Refuse a fact dated before ``open_since``, the Swedish day the plan was drafted or last
    reopened (before it, there was no plan, or only a concluded one); the message names no date."""
    if on < open_since:
        raise DatedBeforeThePlan(
            f"{field}: a fact of the safety plan cannot be dated before the day it was drafted or last reopened"
        )


def check_concluded_after_its_facts(on: date, last_fact_on: date) -> None:
    """Refuse a conclusion dated before the latest fact recorded while the plan was open (a danger
    statement, scale reading, revision or follow-up); the message names no date."""
    if on < last_fact_on:
        raise ConcludedBeforeItsFacts(
            "on: a safety plan cannot be concluded before a fact recorded while it was open"
        )
