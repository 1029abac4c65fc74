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
from itertools import count
from typing import Any
from uuid import UUID

from services.kit.auth import Caller
from services.kit.domain.case_protection import CaseProtection
from services.kit.index import CatchUpIndex
from services.kit.subject_access import ChildByPin, Holdings
from services.referrals.auto_referral import AutoReferrals
from services.referrals.domain.referral import Referral
from services.referrals.missed_deadlines import MissedDeadlines, MissedNote
from services.referrals.placed_children import FoundBy


def _fold_children() -> Any:
    """Rows: (municipality, the child's personal identity number) -> its referrals, each with its
    place in the order they were received (to list those of several numbers oldest first)."""
    received = count()

    def fold(rows: dict[Any, list[tuple[int, UUID]]], domain_event: Any) -> None:
        if isinstance(domain_event, Referral.Received):
            key = (domain_event.municipality, domain_event.child_pin)
            rows.setdefault(key, []).append((next(received), domain_event.originator_id))

    return fold


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
    referred_protected: bool = False  # a referral of the case, anyone's, reads protected (ADR 0032)


@dataclass(frozen=True)
class ChildsReferrals(Holdings[CaseReferrals]):
    """Referrals' part: the child's cases, and whether any referral or placement record of them
    says the child has a protected identity, or is in protected housing."""

    protected_identity: bool = False
    protected_housing: bool = False

    @classmethod
    def of_cases(cls, service: str, municipality: str, cases: list[CaseReferrals]) -> ChildsReferrals:
        protections = [case.protection for case in cases if case.protection is not None]
        referred = any(case.referred_protected for case in cases) or any(
            referral.protected_identity for case in cases for referral in case.referrals
        )
        identity = referred or any(protection.identity for protection in protections)
        housing = any(protection.housing for protection in protections)
        return cls(service, municipality, cases, identity, housing)


def _of_the_child(notes: list[MissedNote], referrals: list[Referral]) -> list[MissedNote]:
    """The case's own notes and those of the child's referrals: a sibling's referral on the same
    case is left out of the bundle, and so is the deadline missed on it (secrecy towards others in
    the record still applies, ADR 0018)."""
    theirs = {str(referral.id) for referral in referrals}
    return [note for note in notes if note.referral_id is None or str(note.referral_id) in theirs]


def _checked(found_by: FoundBy, pin: str, referrals: list[Referral]) -> FoundBy:
    """A case carrying a referral made with another number than the one asked with is flagged,
    whatever found it: a number linked through a placement may be the child's old one or another
    child's sent by mistake and corrected, and nothing stored tells which (ADR 0018, third addendum)."""
    if any(referral.child_pin != pin for referral in referrals):
        return "replaced_number"
    return found_by


class Protected:
    """What was said of the protection of the municipality's cases and numbers, each asked once
    per request: a case is protected if its placement records or any referral of it said so, a
    number if any referral made with it, or any case named for it, is (ADR 0032)."""

    def __init__(self, app: ReferralSubjectAccess, municipality: str, work: object) -> None:
        self._app, self._municipality, self._work = app, municipality, work
        self._cases: dict[str, bool] = {}

    def by_referrals(self, case_id: str) -> bool:
        return self._app.referred_protected(("case", self._municipality, case_id), self._work)

    def of_case(self, case_id: str) -> bool:
        if case_id not in self._cases:
            said = self._app.protection_of(self._municipality, case_id) is not None
            self._cases[case_id] = said or self.by_referrals(case_id)
        return self._cases[case_id]

    def of_number(self, pin: str) -> bool:
        app, municipality = self._app, self._municipality
        cases = app.placed_cases_of(municipality, pin, work=self._work)
        return app.referred_protected(("child", municipality, pin), self._work) or any(
            map(self.of_case, cases)
        )


class ReferralSubjectAccess(MissedDeadlines, AutoReferrals):
    def __init__(self, env: dict[str, str] | None = None) -> None:
        super().__init__(env)
        self._children = CatchUpIndex(self, _fold_children(), events=(Referral.Received,))

    def subject_access(self, caller: Caller, child: ChildByPin) -> ChildsReferrals:
        """The child's cases in the caller's municipality: referred ones first, then those only
        placement records named (a registerutdrag, ADR 0018), found by the number asked with or by
        one a placement of it named too (``numbers_of``).  Through such a linked number, nothing
        protection was said of is carried: not the number, nor a protected case it alone finds."""
        municipality, pin, work = caller.municipality, child.pin, object()
        said = Protected(self, municipality, work)
        numbers = self.numbers_of(
            municipality, pin, follow=lambda number: not said.of_number(number), work=work
        )
        by_case = self._referrals_by_case(municipality, numbers, work)
        placed = self.placed_cases_of(municipality, *numbers, work=work)
        own = set(self.placed_cases_of(municipality, pin, work=work))
        for case_id in placed:
            by_case.setdefault(case_id, [])
        cases = [
            CaseReferrals(
                case_id,
                referrals,
                case_id in placed,
                self.protection_of(municipality, case_id),
                _checked(self.found_by(municipality, case_id, pin), pin, referrals),
                _of_the_child(self.missed_deadlines_of(municipality, case_id), referrals),
                said.by_referrals(case_id),
            )
            for case_id, referrals in by_case.items()
            if case_id in own or any(r.child_pin == pin for r in referrals) or not said.of_case(case_id)
        ]
        return ChildsReferrals.of_cases(self.name, municipality, cases)

    def _referrals_by_case(
        self, municipality: str, numbers: set[str], work: object
    ) -> dict[str, list[Referral]]:
        """The referrals made with any of ``numbers``, by case, oldest first (looked up by number)."""
        by_case: dict[str, list[Referral]] = {}
        numbered = (self._children.get((municipality, number), work) or () for number in numbers)
        for _, referral_id in sorted(found for referrals in numbered for found in referrals):
            referral: Referral = self.repository.get(referral_id)
            by_case.setdefault(referral.case_id, []).append(referral)
        return by_case
