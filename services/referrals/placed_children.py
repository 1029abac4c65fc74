"""Every child the case systems' placement records name, by case, and what they say of its
protection (ADR 0018 addendum, ADR 0032).

A registerutdrag starts here, with the child's personal identity number: the other services know
the child only by case.  So referrals keeps, from every placement record it reads (started, changed,
ended), the case and the number it names (``PlacedCase``), whether or not a referral is made: a
municipality without a Network Centre gets none, and a change or an end may be the first record of
a placement that started before anyone listened.  It keeps, one way, what any of them said of the
child's protection (the kit's ``CaseProtection``: a protected identity, protected housing), so
that a protected child's bundle is marked whatever record said it.  What follows from it for the
referrals is ``protection``'s (ADR 0032).  Keyed by municipality, never across.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal
from uuid import UUID

from contracts.placements import PlacementData
from services.kit.domain.case_protection import CaseProtection, protection_said
from services.kit.index import CatchUpIndex
from services.kit.store import ServiceApplication
from services.referrals.domain.placed_case import PlacedCase

CaseChildren = tuple[str, str, tuple[str, ...]]  # municipality, case id, the numbers named for it
# How asking with a number found a case: the case's latest placement record names it; a later
# record named another (the registrar checks before release); or no record named any (referrals).
FoundBy = Literal["current_number", "replaced_number", "referral"]


def _fold_case_children() -> Callable[[dict[Any, CaseChildren], Any], None]:
    def fold(rows: dict[Any, CaseChildren], e: Any) -> None:
        if isinstance(e, PlacedCase.Noted):
            rows[e.originator_id] = (e.municipality, e.case_id, (e.child_pin,))
        elif isinstance(e, PlacedCase.ChildNamed) and e.originator_id in rows:
            municipality, case_id, pins = rows[e.originator_id]
            rows[e.originator_id] = (municipality, case_id, (*pins, e.child_pin))

    return fold


class PlacedChildren(ServiceApplication):
    def __init__(self, env: dict[str, str] | None = None) -> None:
        super().__init__(env)
        self._placed_cases = CatchUpIndex(
            self, _fold_case_children(), events=(PlacedCase.Noted, PlacedCase.ChildNamed)
        )

    def placed_cases_of(self, municipality: str, pin: str) -> list[str]:
        """The cases of ``municipality`` that placement records named the child for, oldest first."""
        return [
            case_id
            for _, _, (owner, case_id, pins) in self._placed_cases.in_creation_order()
            if owner == municipality and pin in pins
        ]

    def found_by(self, municipality: str, case_id: str, pin: str) -> FoundBy:
        """How asking with ``pin`` finds the case: by the number its latest placement record named,
        by one a later record replaced (or a referral named, that no record does), or by its
        referrals alone (no placement record named a child for it)."""
        case: PlacedCase | None = self._found(PlacedCase.id_for(municipality, case_id))
        if case is None:
            return "referral"
        return "current_number" if case.child_pin == pin else "replaced_number"

    def protection_of(self, municipality: str, case_id: str) -> CaseProtection | None:
        """What the case's placement records said of the child's protection, if any said it."""
        return self._found(CaseProtection.id_for(municipality, case_id))

    def records_said(self, municipality: str, case_id: str, pin: str) -> bool:
        """Whether placement records said the child is protected (identity or protected housing),
        of this case or of any case of the child in ``municipality``: never across municipalities
        (what referrals said is added in ``protection``)."""
        cases = {case_id, *self.placed_cases_of(municipality, pin)}
        return any(self.protection_of(municipality, case) is not None for case in cases)

    def _noted(self, placement: PlacementData) -> tuple[PlacedCase, CaseProtection | None]:
        """The case's ``PlacedCase``, and its ``CaseProtection`` if this record or an earlier one
        said it, as ``placement`` leaves them (to save)."""
        municipality, case_id, pin = placement.municipality, placement.case_id, placement.child.pin
        case: PlacedCase | None = self._found(PlacedCase.id_for(municipality, case_id))
        if case is None:
            case = PlacedCase(municipality=municipality, case_id=case_id, child_pin=pin)
        else:
            case.name(pin)
        found = self.protection_of(municipality, case_id)
        identity, placement_type = placement.child.protected_identity, placement.placement_type
        return case, protection_said(found, municipality, case_id, identity, placement_type) or found

    def _found(self, aggregate_id: UUID) -> Any:
        """The aggregate as this unit of work leaves it (a batch of records), or None if never made."""
        return self.repository.get(aggregate_id) if self.exists(aggregate_id) else None
