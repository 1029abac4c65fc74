"""Auto-referral to the Network Centre when a child is placed (the inbound use case).

One referral per placement, and only where the municipality has a Network Centre.  A child
whose case already has an open Network Centre referral (received or accepted: one sent when
placement was near, or one of an earlier placement) gets no second one: the open referral
records the placement instead, once.  An automatic referral holds the case's Network Centre
slot (``OpenReferral``) as a manual one does, so that no manual one is opened beside it (nor
beside one stored before automatic referrals held it: ``_open_referral``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from contracts.placements import PlacementStartedV1
from services.kit.inbound import InboundEvent
from services.kit.index import CatchUpIndex
from services.kit.logs import get_logger
from services.referrals.domain.open_referral import OpenReferral
from services.referrals.domain.referral import UNASSIGNED, Referral
from services.referrals.domain.who_decides import OfferedTargets
from services.referrals.protection import ReferralProtection
from services.referrals.settings import DEFAULT_TARGETS
from services.referrals.worklist import ReferralWorklist

AUTOMATIC_REASON = "automatic: placement started"
NETWORK_CENTRE = "network_centre"
_ENDED = (Referral.Declined, Referral.Closed, Referral.Revoked)
OPEN_REFERRAL_EVENTS = (Referral.Received, *_ENDED)

log = get_logger(__name__)


def _open_network_centre_referrals() -> Callable[[dict[Any, tuple[UUID, ...]], Any], None]:
    """A fold: (municipality, case id) -> the case's open Network Centre referrals, oldest first."""
    case_of: dict[UUID, tuple[str, str]] = {}

    def fold(rows: dict[Any, tuple[UUID, ...]], domain_event: Any) -> None:
        if isinstance(domain_event, Referral.Received) and domain_event.target == NETWORK_CENTRE:
            case = case_of[domain_event.originator_id] = (domain_event.municipality, domain_event.case_id)
            rows[case] = (*rows.get(case, ()), domain_event.originator_id)
        elif isinstance(domain_event, _ENDED) and domain_event.originator_id in case_of:
            case = case_of.pop(domain_event.originator_id)
            rows[case] = tuple(r for r in rows[case] if r != domain_event.originator_id)

    return fold


class AutoReferrals(ReferralWorklist, ReferralProtection):
    def __init__(self, env: dict[str, str] | None = None) -> None:
        super().__init__(env)
        self.offered = OfferedTargets(DEFAULT_TARGETS)
        self._open_by_case = CatchUpIndex(self, _open_network_centre_referrals(), events=OPEN_REFERRAL_EVENTS)

    def refer_placed_child(self, event: InboundEvent[PlacementStartedV1]) -> None:
        """Auto-referral to the Network Centre: at most one per placement, none where a
        referral of the case is open (it records the placement) or there is no Network Centre.
        The child's case is noted either way (``PlacedChildren``)."""
        placement = event.data
        # Saves one after another, one transaction (the kit runs every record in a unit of work):
        # each step reads the referrals as the one before left them (told of a protection).
        self.save(*self._recorded(placement))
        referred = self._referred(placement)
        self.save(*referred)
        self.save(*self.protected_by(*referred))

    def _referred(self, placement: PlacementStartedV1) -> list[Any]:
        """What the placement changes of the case's referrals (to save): nothing, an open referral
        that records it, or a new referral and the case's slot it holds."""
        if not self.offered.offers(placement.municipality, NETWORK_CENTRE):
            log.info("placement started where no Network Centre is offered: no referral")
            return []
        if self.exists(Referral.id_for_placement(placement.municipality, placement.placement_id)):
            return []
        # What referrals or placement records of the case or the child said, or this record says.
        protected = self.said_protected(placement.municipality, placement.case_id, placement.child.pin)
        open_one = self._open_network_centre_referral(placement.municipality, placement.case_id)
        if open_one is not None:
            open_one.record_placement(placement.placement_id, protected or placement.child.protected_identity)
            return [open_one]
        referral = Referral(
            case_id=placement.case_id,
            municipality=placement.municipality,
            target=NETWORK_CENTRE,
            child_pin=placement.child.pin,
            protected_identity=protected or placement.child.protected_identity,
            child_status="placed",
            case_worker_id=placement.case_worker_id or UNASSIGNED,
            reason=AUTOMATIC_REASON,
            origin="placement",
            placement_id=placement.placement_id,
            respond_within=self.response_working_days,
        )
        slot = self._open_referral(referral)
        # Held already: a manual referral another replica stored since the index caught up.  The
        # record is tried again on its own, when the index sees that referral and records the placement.
        slot.hold(referral.id)
        return [referral, slot]

    def _open_referral(self, referral: Referral) -> OpenReferral:
        """The case's slot for ``referral``'s target (new if the case never had one).  An open
        automatic referral stored before they held the slot holds it here (not stored unless
        saved), so that a manual one is refused beside it too."""
        slot_id = OpenReferral.id_for(referral.municipality, referral.case_id, referral.target)
        slot = self._find(slot_id) or OpenReferral(referral.municipality, referral.case_id, referral.target)
        if slot.holder is None and referral.target == NETWORK_CENTRE:
            unheld = self._open_network_centre_referral(referral.municipality, referral.case_id)
            if unheld is not None and unheld.id != referral.id:
                slot.hold(unheld.id)
        return slot

    def _find(self, aggregate_id: UUID) -> Any:
        return self.repository.get(aggregate_id) if self.exists(aggregate_id) else None

    def _open_network_centre_referral(self, municipality: str, case_id: str) -> Referral | None:
        """The case's oldest open Network Centre referral, if it has one: stored, or made earlier in
        this unit of work (a batch of placement records: the index sees only what is stored)."""
        work = self.current_work()
        stored = self._open_by_case.get((municipality, case_id), work if work is not None else object()) or ()
        made_now = [
            aggregate.id
            for aggregate in (self._pending_aggregates() or {}).values()
            if isinstance(aggregate, Referral)
            and aggregate.target == NETWORK_CENTRE
            and (aggregate.municipality, aggregate.case_id) == (municipality, case_id)
            and aggregate.id not in stored
        ]
        for referral_id in (*stored, *made_now):
            referral: Referral = self.repository.get(referral_id)  # as this unit of work left it
            if referral.is_open:
                return referral
        return None
