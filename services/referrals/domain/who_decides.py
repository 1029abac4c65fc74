"""Who may decide on a referral, and which targets a municipality offers (issue: referral targets).

Only the team a referral was sent to decides on it (the coordinator leads both teams); only the
case worker who sent it or is responsible for it, or a coordinator, takes it back, or closes it
once declined (any case worker where nobody is: the decline is the case workers' to follow up).
The Network Centre and the safety team exist only where a municipality has them: a referral to a
team it lacks is refused.
Safety planning is examined by the safety team where there is one, else by the case worker.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from services.referrals.domain.referral import UNASSIGNED

RECEIVING_ROLES = {
    "network_centre": frozenset({"coordinator", "network_centre"}),
    "safety_team": frozenset({"coordinator", "safety_team"}),
}
REVOKING_ROLES = frozenset({"coordinator"})
# A declined referral is the authority unit's to follow up (the child's concern is still there):
# its case workers', not the team's, which said its word by declining (ADR 0025 addendum).
FOLLOWING_UP_ROLE = "case_worker"
# Who examines safety planning: the safety team, led by the coordinator; where a municipality has no
# safety team, the case worker (the authority unit owns the case: ADR 0025 addendum, ADR 0036).
EXAMINING_ROLES = {
    "safety_team": frozenset({"coordinator", "safety_team"}),
    "case_worker": frozenset({"case_worker"}),
}


class NotTheReceivingTeam(Exception):
    """The caller is not of the team the referral was sent to."""


class NotTheReferringCaseWorker(Exception):
    """Only the case worker who sent the referral or is responsible for it, or a coordinator, may
    revoke it, hand it over, or close it once declined."""


class NotTheExaminer(Exception):
    """The caller is not of the role that examines safety planning for the case."""


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


def require_closer(referral: Any, subject: str, roles: Iterable[str]) -> None:
    """An accepted referral is closed by its team, its work done; a declined one by whoever follows
    the decline up: the case worker who sent it or is responsible for it, any case worker where
    nobody is (as any takes an unassigned referral), or a coordinator."""
    if referral.status != "declined":
        require_receiving_team(referral.target, roles)
    elif not (_nobody_named(referral) and FOLLOWING_UP_ROLE in roles):
        require_referrer(referral, subject, roles, "close a declined referral")


def _nobody_named(referral: Any) -> bool:
    return {referral.case_worker_id, getattr(referral, "referred_by", "")} <= {UNASSIGNED, ""}


def require_examiner(responsible_role: str, roles: Iterable[str]) -> None:
    """``responsible_role`` examines safety planning for the case (``OfferedTargets.examiner``)."""
    if EXAMINING_ROLES[responsible_role].isdisjoint(roles):
        raise NotTheExaminer("only the role that examines safety planning for the case records it")


class OfferedTargets:
    """The referral targets (teams) each municipality offers; a municipality not named offers none."""

    def __init__(self, by_municipality: Mapping[str, Iterable[str]]) -> None:
        self._offered = {
            municipality: frozenset(targets) for municipality, targets in by_municipality.items()
        }

    def offers(self, municipality: str, target: str) -> bool:
        return target in self._offered.get(municipality, frozenset())

    def examiner(self, municipality: str) -> str:
        """Who examines safety planning there: its safety team, else the case worker."""
        return "safety_team" if self.offers(municipality, "safety_team") else "case_worker"

    def require(self, municipality: str, target: str) -> None:
        if not self.offers(municipality, target):
            raise TargetNotOffered("your municipality does not offer this referral target")
