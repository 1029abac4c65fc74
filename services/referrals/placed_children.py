"""Every child the case systems' placement records name, by case, and what they say of its
protection (ADR 0018 addendum, ADR 0032).

A registerutdrag starts here, with the child's personal identity number: the other services know
the child only by case.  So referrals keeps, from every placement record it reads (started, changed,
ended), the case and the number it names (``PlacedCase``), whether or not a referral is made: a
municipality without a Network Centre gets none, and a change or an end may be the first record of
a placement that started before anyone listened.  It keeps, one way, what any of them said of the
child's protection (the kit's ``CaseProtection``: a protected identity, protected housing), so
that a protected child's bundle is marked whatever record said it.  What follows from it for the
referrals is ``protection``'s (ADR 0032).  It keeps too, per placement, the numbers its records
named (``PlacementNumbers``): the only numbers a registerutdrag links (ADR 0018, third addendum).
Keyed by municipality, never across; looked up by number, so a request costs what it finds.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import count
from typing import Any, Literal
from uuid import UUID

from contracts.placements import PlacementData
from services.kit.domain.case_protection import CaseProtection, protection_said
from services.kit.index import CatchUpIndex
from services.kit.store import ServiceApplication
from services.referrals.domain.placed_case import PlacedCase
from services.referrals.domain.placement_numbers import PlacementNumbers

# How asking with a number found a case: the case's latest placement record names it; a later
# record named another, or only another of the child's linked numbers found it (the registrar checks
# before release); or no record named any, its referrals named this one (referrals).
FoundBy = Literal["current_number", "replaced_number", "referral"]


def _fold_case_children() -> Callable[[dict[Any, Any], Any], None]:
    """Rows: a case's id -> its row; ("number", municipality, pin) -> the cases named for it, each
    with its place in the order cases were first named (to list them oldest first)."""
    made = count()

    def fold(rows: dict[Any, Any], e: Any) -> None:
        if isinstance(e, PlacedCase.Noted):
            rows[e.originator_id] = (e.municipality, e.case_id, next(made))
            _add(rows, ("number", e.municipality, e.child_pin), rows[e.originator_id])
        elif isinstance(e, PlacedCase.ChildNamed) and e.originator_id in rows:
            _add(rows, ("number", rows[e.originator_id][0], e.child_pin), rows[e.originator_id])

    return fold


def _fold_placement_numbers(rows: dict[Any, Any], e: Any) -> None:
    """Rows: a placement's id -> (municipality, the numbers its records named); ("number",
    municipality, pin) -> the placements that named it.  Appended to, never copied: a placement
    renumbered k times costs k, not k squared."""
    if isinstance(e, PlacementNumbers.Noted):
        rows[e.originator_id] = (e.municipality, [e.child_pin])
        _add(rows, ("number", e.municipality, e.child_pin), e.originator_id)
    elif isinstance(e, PlacementNumbers.ChildNamed) and e.originator_id in rows:
        municipality, pins = rows[e.originator_id]
        pins.append(e.child_pin)
        _add(rows, ("number", municipality, e.child_pin), e.originator_id)


def _add(rows: dict[Any, Any], key: Any, value: Any) -> None:
    rows.setdefault(key, []).append(value)


class PlacedChildren(ServiceApplication):
    def __init__(self, env: dict[str, str] | None = None) -> None:
        super().__init__(env)
        self._placed_cases = CatchUpIndex(
            self, _fold_case_children(), events=(PlacedCase.Noted, PlacedCase.ChildNamed)
        )
        self._placements = CatchUpIndex(
            self, _fold_placement_numbers, events=(PlacementNumbers.Noted, PlacementNumbers.ChildNamed)
        )

    def placed_cases_of(self, municipality: str, *numbers: str, work: object = None) -> list[str]:
        """The cases of ``municipality`` that placement records named any of ``numbers`` for,
        oldest first (looked up by number: a request costs the cases it finds)."""
        work = work or object()
        found = {
            row
            for pin in numbers
            for row in self._placed_cases.get(("number", municipality, pin), work) or ()
        }
        return [case_id for _, case_id, _ in sorted(found, key=lambda row: row[2])]

    def numbers_of(
        self, municipality: str, pin: str, follow: Callable[[str], bool] = lambda _: True, work: object = None
    ) -> set[str]:
        """``pin`` and every number the records of one of its placements named beside it (a
        coordination number replaced by a personnummer, a correction), and on along a chain (A by
        B in one placement, B by C in another), following only the numbers ``follow`` allows.
        Numbers named by different placements of one case (siblings placed under one case id) are
        not linked; nor are any across municipalities.  Costs the placements it reaches, each once."""
        work = work or object()
        numbers, todo, seen = {pin}, [pin], set[Any]()
        while todo:
            for placement in self._placements.get(("number", municipality, todo.pop()), work) or ():
                if placement in seen:
                    continue
                seen.add(placement)
                row = self._placements.get(placement, work)
                for number in row[1] if row else ():
                    if number not in numbers and follow(number):
                        numbers.add(number)
                        todo.append(number)
        return numbers

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

    def _noted(self, placement: PlacementData) -> tuple[list[Any], CaseProtection | None]:
        """The case's ``PlacedCase`` and the placement's ``PlacementNumbers`` (to save), and the
        case's ``CaseProtection`` if this record or an earlier one said it, as ``placement`` leaves them."""
        municipality, case_id, pin = placement.municipality, placement.case_id, placement.child.pin
        case: PlacedCase | None = self._found(PlacedCase.id_for(municipality, case_id))
        if case is None:
            case = PlacedCase(municipality=municipality, case_id=case_id, child_pin=pin)
        else:
            case.name(pin)
        numbers: PlacementNumbers | None = self._found(
            PlacementNumbers.id_for(municipality, case_id, placement.placement_id)
        )
        if numbers is None:
            numbers = PlacementNumbers(
                municipality=municipality, case_id=case_id, placement_id=placement.placement_id, child_pin=pin
            )
        else:
            numbers.name(pin)
        found = self.protection_of(municipality, case_id)
        identity, placement_type = placement.child.protected_identity, placement.placement_type
        said = protection_said(found, municipality, case_id, identity, placement_type) or found
        return [case, numbers], said

    def _found(self, aggregate_id: UUID) -> Any:
        """The aggregate as this unit of work leaves it (a batch of records), or None if never made."""
        return self.repository.get(aggregate_id) if self.exists(aggregate_id) else None
