"""Referrals' part of a registerutdrag (GDPR art. 15, ADR 0018): the child's cases, by number.

Referrals is asked with the child's personal identity number and answers with the child's cases
of the caller's municipality: those of its referrals, and those any placement record named the
child for (``PlacedChildren``: a municipality without a Network Centre has no referrals), with
whether anything said the child is protected (then every page of the bundle says so), and the
deadlines noted missed on each case (``MissedDeadline``, or a response noted on the referral
itself before those: the case's own, and those of the child's referrals).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from services.kit.auth import Caller
from services.kit.domain.case_protection import CaseProtection
from services.kit.index import CatchUpIndex
from services.kit.subject_access import ChildByPin, Holdings
from services.referrals.auto_referral import AutoReferrals
from services.referrals.domain.referral import Referral
from services.referrals.missed_deadlines import MissedDeadlines, MissedNote
from services.referrals.placed_children import FoundBy


def _index_child(rows: dict[Any, tuple[str, str]], domain_event: Any) -> None:
    """(municipality, the child's personal identity number) per referral: whose it is."""
    if isinstance(domain_event, Referral.Received):
        rows[domain_event.originator_id] = (domain_event.municipality, domain_event.child_pin)


@dataclass(frozen=True)
class CaseReferrals:
    """A child's referrals of one case, oldest first; whether a placement record named the child
    for the case, what those records said of the child's protection (None: nothing), how the
    child's number found the case (a replaced one: the registrar checks before release), and the
    deadlines noted missed on it."""

    case_id: str
    referrals: list[Referral]
    placed: bool = False
    protection: CaseProtection | None = None
    found_by: FoundBy = "referral"
    missed_deadlines: list[MissedNote] = field(default_factory=list)


@dataclass(frozen=True)
class ChildsReferrals(Holdings[CaseReferrals]):
    """Referrals' part: the child's cases, and whether any referral or placement record of them
    says the child has a protected identity, or is in protected housing."""

    protected_identity: bool = False
    protected_housing: bool = False

    @classmethod
    def of_cases(cls, service: str, municipality: str, cases: list[CaseReferrals]) -> ChildsReferrals:
        protections = [case.protection for case in cases if case.protection is not None]
        referred = any(referral.protected_identity for case in cases for referral in case.referrals)
        identity = referred or any(protection.identity for protection in protections)
        housing = any(protection.housing for protection in protections)
        return cls(service, municipality, cases, identity, housing)


def _of_the_child(notes: list[MissedNote], referrals: list[Referral]) -> list[MissedNote]:
    """The case's own notes and those of the child's referrals: a sibling's referral on the same
    case is left out of the bundle, and so is the deadline missed on it (secrecy towards others in
    the record still applies, ADR 0018)."""
    theirs = {str(referral.id) for referral in referrals}
    return [note for note in notes if note.referral_id is None or str(note.referral_id) in theirs]


class ReferralSubjectAccess(MissedDeadlines, AutoReferrals):
    def __init__(self, env: dict[str, str] | None = None) -> None:
        super().__init__(env)
        self._children = CatchUpIndex(self, _index_child, events=(Referral.Received,))

    def subject_access(self, caller: Caller, child: ChildByPin) -> ChildsReferrals:
        """The child's cases in the caller's municipality: referred ones first, then those only
        placement records named (a registerutdrag, ADR 0018)."""
        municipality = caller.municipality
        by_case: dict[str, list[Referral]] = {}
        for referral_id, (owner, pin) in self._children.items():
            if owner == municipality and pin == child.pin:
                referral: Referral = self.repository.get(referral_id)
                by_case.setdefault(referral.case_id, []).append(referral)
        placed = self.placed_cases_of(municipality, child.pin)
        for case_id in placed:
            by_case.setdefault(case_id, [])
        cases = [
            CaseReferrals(
                case_id,
                referrals,
                case_id in placed,
                self.protection_of(municipality, case_id),
                self.found_by(municipality, case_id, child.pin),
                _of_the_child(self.missed_deadlines_of(municipality, case_id), referrals),
            )
            for case_id, referrals in by_case.items()
        ]
        return ChildsReferrals.of_cases(self.name, municipality, cases)
