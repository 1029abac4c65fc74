"""Who answers for a team's duty: the team, where the municipality has one; else its case worker.

The Network Centre and the safety team are Uppsala's (DOMAIN "Who is who").  Where a municipality
has no such team, nobody there holds the team's role: the authority unit owns the case, so its
case worker answers for what the team would do (crisis support to the parents, the
network-placement inquiry, the safety plan's follow-up).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

CASE_WORKER = "case_worker"
TEAMS = frozenset({"network_centre", "safety_team"})


class Teams:
    """The teams each municipality has; a municipality not named has none."""

    def __init__(self, by_municipality: Mapping[str, Iterable[str]]) -> None:
        self._has = {municipality: frozenset(teams) for municipality, teams in by_municipality.items()}

    def responsible(self, role: str, municipality: str) -> str:
        """``role``, unless it is a team ``municipality`` does not have: then its case worker."""
        if role in TEAMS and role not in self._has.get(municipality, frozenset()):
            return CASE_WORKER
        return role
