"""How much one case's network map and plans hold.

Enough for any real network and plan, and a bound on what a careless script, or a client that
repeats itself without an ``Idempotency-Key``, can pile up: every command on a map or plan answers
with the whole of it, and every load replays all its events.  Stored maps and plans that hold more
already stay readable; they take no more until some is removed.
"""

from __future__ import annotations

MAX_NETWORK_MEMBERS = 100
MAX_DANGER_STATEMENTS = 30
MAX_SCALE_READINGS = 200  # per danger statement: one at every meeting and follow-up, for years
MAX_RULES = 60
MAX_GOALS = 30
MAX_ACTIONS = 200


class PlanFull(Exception):
    """The map or plan holds as much as it may (409, named by the subclass)."""


class NetworkMapFull(PlanFull):
    """A network map holds at most ``MAX_NETWORK_MEMBERS`` members at a time."""


class SafetyPlanFull(PlanFull):
    """A safety plan holds at most so many danger statements, readings of each, and rules."""


class SupportPlanFull(PlanFull):
    """A support plan holds at most so many goals and actions."""


def check_room(held: int, limit: int, full: type[PlanFull], what: str) -> None:
    """Refuse one more of ``what`` when ``held`` has reached ``limit`` (the message names no value sent)."""
    if held >= limit:
        raise full(f"{what}: at most {limit}")
