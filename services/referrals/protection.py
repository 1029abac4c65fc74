"""Whether a child a referral is about is protected, and what follows from it (ADR 0032): one rule.

A municipality's referrals of a child are protected once anything there said so: a referral of the
case or of the child (by personal identity number), whether its case worker ticked the box, a
placement was recorded on it protected, or it was marked later; or a placement record of the case,
or of any case the records named the child for.  Protection is decided for the person (by the Tax
Agency), so it is the case's and the child's, and one way: a box left unticked undoes nothing.

Whatever said it, every referral that shares a case or a child with a protected one reads
protected too, from then on and whatever its status (``Referral.MarkedProtected``, never
published): the referrals made before it was said are marked, those made after are protected when
made.  So the outcome does not depend on the order things were said in.  It never crosses
municipalities: every key names one.

All this reads indexes of what is stored, and two replicas may write at the same moment, each not
seeing the other: every writer passes the ``ProtectionGate`` of each key it reads, before it reads
it, so that two of them reading a key in common conflict (the store refuses one) instead.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from uuid import UUID

from contracts.placements import PlacementData
from services.kit.inbound import InboundEvent
from services.kit.index import CatchUpIndex
from services.referrals.domain.protection_gate import ProtectionGate
from services.referrals.domain.referral import Referral
from services.referrals.placed_children import PlacedChildren

PROTECTION_EVENTS = (Referral.Received, Referral.ChildPlaced, Referral.MarkedProtected)
Key = tuple[str, str, str]  # ("case", municipality, case id) or ("child", municipality, pin)
Reached = dict[UUID, tuple[tuple[Key, ...], bool]]  # a referral -> its keys, whether it reads protected


def _keys(municipality: str, case_id: str, pins: Iterable[str]) -> tuple[Key, ...]:
    return (("case", municipality, case_id), *(("child", municipality, pin) for pin in pins))


def _fold_referrals(rows: dict[Any, Any], e: Any) -> None:
    """Rows: a case's or a child's key -> its referrals; a referral's id -> its keys and whether it
    reads protected (as its events left it)."""
    if isinstance(e, Referral.Received):
        keys = _keys(e.municipality, e.case_id, (e.child_pin,))
        for key in keys:
            rows[key] = (*rows.get(key, ()), e.originator_id)
        rows[e.originator_id] = (keys, e.protected_identity)
    elif e.originator_id in rows and (isinstance(e, Referral.MarkedProtected) or e.protected_identity):
        rows[e.originator_id] = (rows[e.originator_id][0], True)


class ReferralProtection(PlacedChildren):
    def __init__(self, env: dict[str, str] | None = None) -> None:
        super().__init__(env)
        self._referrals_by = CatchUpIndex(self, _fold_referrals, events=PROTECTION_EVENTS)

    def said_protected(self, municipality: str, case_id: str, pin: str) -> bool:
        """Whether a referral about ``case_id`` and ``pin`` in ``municipality`` is to be protected:
        a referral of the case or of the child reads protected, or a placement record said so.
        Their gates are passed first (to save): a protection stored meanwhile conflicts with it."""
        keys = _keys(municipality, case_id, (pin,))
        self._through_gates(keys)
        by_referrals = self._under(keys, self._pending())
        return any(read for _, read in by_referrals.values()) or self.records_said(municipality, case_id, pin)

    def note_placement_record(self, event: InboundEvent[PlacementData]) -> None:
        """A placement changed or ended: the child's case and its protection, and nothing else
        (a referral is made at a placement's start only)."""
        self.save(*self._recorded(event.data))

    def protected_by(self, *referrals: Any) -> list[Referral]:
        """The referrals sharing a case or a child with a protected one of ``referrals`` (saved
        first: read as this unit of work leaves them) that read unprotected, marked (to save)."""
        protected = [r for r in referrals if isinstance(r, Referral) and r.protected_identity]
        return self._marked(
            [key for r in protected for key in _keys(r.municipality, r.case_id, (r.child_pin,))]
        )

    def _recorded(self, placement: PlacementData) -> list[Any]:
        """What a placement record leaves of the case (``PlacedChildren``), and, when the case is
        protected, its referrals and those of every number named for its child, marked (to save).

        Every record passes the case's gate before it reads the case, whatever it says: before, one
        naming a corrected number and one saying the child is protected, handled at once on two
        replicas (a faulty producer spreads a case's records over partitions, ADR 0017), each read
        the case without the other's change, and the referrals of the new number stayed unprotected."""
        self._through_gates(_keys(placement.municipality, placement.case_id, ()))
        case, protection = self._noted(placement)
        if protection is None:
            return [case]  # no record said the case is protected: its referrals stay as they are
        return [case, protection, *self._marked(_keys(case.municipality, case.case_id, case.child_pins))]

    def _marked(self, keys: Iterable[Key]) -> list[Referral]:
        """Every referral reached from ``keys`` through a shared case or child, one after another,
        that read unprotected, marked (to save)."""
        keys, pending, gated = tuple(keys), self._pending(), set[Key]()
        reached, visited = self._reached(keys, pending)
        while visited - gated:  # keys found before their gates were passed: read them again
            self._through_gates(visited - gated)
            gated |= visited
            reached, visited = self._reached(keys, pending)
        unprotected = [self.repository.get(found) for found, (_, read) in sorted(reached.items()) if not read]
        for referral in unprotected:
            referral.mark_protected()
        return unprotected

    def _reached(self, keys: tuple[Key, ...], pending: Reached) -> tuple[Reached, set[Key]]:
        """The referrals reached from ``keys`` through shared cases and children, and every key
        visited on the way."""
        reached: Reached = {}
        todo, visited = list(keys), set()
        while todo:
            key = todo.pop()
            if key not in visited:
                visited.add(key)
                found = self._under((key,), pending)
                reached.update(found)
                todo.extend(k for its_keys, _ in found.values() for k in its_keys)
        return reached, visited

    def _through_gates(self, keys: Iterable[Key]) -> None:
        """Pass the gate of each of ``keys`` not passed yet in this unit of work (to save), then
        catch the index up: what it reads is then no older than the gates, and what another writer
        stores after them conflicts with this one."""
        passed = self._pending_aggregates() or {}
        gate_ids = [ProtectionGate.id_for(*key) for key in sorted(set(keys))]
        new = [gate_id for gate_id in gate_ids if gate_id not in passed]
        for gate_id in new:
            gate: ProtectionGate | None = self._found(gate_id)
            if gate is None:
                gate = ProtectionGate(id=gate_id)
            else:
                gate.pass_through()
            self.save(gate)
        if new:
            self._referrals_by.get(None, object())  # a token of its own: caught up now, not once per work

    def _under(self, keys: tuple[Key, ...], pending: Reached) -> Reached:
        """The referrals under ``keys``: stored (caught up once per unit of work), overlaid by
        ``pending``'s, which are newer."""
        work = self.current_work() or object()
        stored = {found for key in keys for found in self._referrals_by.get(key, work) or ()}
        reached: Reached = {found: self._referrals_by.get(found, work) for found in stored}
        reached.update((found, row) for found, row in pending.items() if set(row[0]) & set(keys))
        return reached

    def _pending(self) -> Reached:
        """The referrals made or changed earlier in this unit of work (a batch of records: the
        index sees only what is stored)."""
        return {
            aggregate.id: (
                _keys(aggregate.municipality, aggregate.case_id, (aggregate.child_pin,)),
                aggregate.protected_identity,
            )
            for aggregate in (self._pending_aggregates() or {}).values()
            if isinstance(aggregate, Referral)
        }
