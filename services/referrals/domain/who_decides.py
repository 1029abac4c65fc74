"""Who may decide on a referral, and which targets a municipality offers (issue: referral targets).

Only the team a referral was sent to decides on it (the coordinator leads both teams); only the
case worker who sent it or is responsible for it, or a coordinator, takes it back.  The Network Centre and the
safety team exist only where a municipality has them: a referral to a team it lacks is refused.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

RECEIVING_ROLES = {
    "network_centre": frozenset({"coordinator", "network_centre"}),
    "safety_team": frozenset({"coordinator", "safety_team"}),
}
REVOKING_ROLES = frozenset({"coordinator"})


class NotTheReceivingTeam(Exception):
    """The caller is not of the team the referral was sent to."""


class NotTheReferringCaseWorker(Exception):
    """Only the case worker who sent the referral or is responsible for it, or a coordinator, may revoke it."""


class TargetNotOffered(Exception):
    """The caller's municipality has no such team to refer to."""


def require_receiving_team(target: str, roles: Iterable[str]) -> None:
    if RECEIVING_ROLES.get(target, frozenset()).isdisjoint(roles):
        raise NotTheReceivingTeam("only the team the referral was sent to decides on it")


def require_referrer(referral: Any, subject: str, roles: Iterable[str], doing: str = "revoke it") -> None:
    """``referral`` names its responsible ``case_worker_id`` and who sent it, ``referred_by``."""
    referrers = {referral.case_worker_id, getattr(referral, "referred_by", "")} - {""}
    if subject not in referrers and REVOKING_ROLES.isdisjoint(roles):
        raise NotTheReferringCaseWorker(
            f"only the case worker who sent the referral or is responsible for it, or a coordinator, may {doing}"
        )


class OfferedTargets:
    """The referral targets (teams) each municipality offers; a municipality not named offers none."""

    def __init__(self, by_municipality: Mapping[str, Iterable[str]]) -> None:
        self._offered = {
            municipality: frozenset(targets) for municipality, targets in by_municipality.items()
        }

    def offers(self, municipality: str, target: str) -> bool:
        return target in self._offered.get(municipality, frozenset())

    def require(self, municipality: str, target: str) -> None:
        if not self.offers(municipality, target):
            raise TargetNotOffered("your municipality does not offer this referral target")
