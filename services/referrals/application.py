"""The referrals use cases: each is get → call → save (STYLE §3)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError

from services.kit.idempotency import IdempotentRequest
from services.kit.index import CatchUpIndex
from services.kit.store import ServiceApplication
from services.referrals.domain.referral import Referral

AUTOMATIC_REASON = "automatic: placement started"


class ReferralNotFound(Exception):
    """No such referral."""


def _index_referral(rows: dict[Any, tuple[UUID, str, str]], domain_event: Any) -> None:
    if isinstance(domain_event, Referral.Received):
        rows[domain_event.originator_id] = (
            domain_event.originator_id,
            domain_event.municipality,
            domain_event.case_id,
        )


class ReferralsApplication(ServiceApplication):
    name = "referrals"

    def __init__(self, env: dict[str, str] | None = None) -> None:
        super().__init__(env)
        self._index = CatchUpIndex(self, _index_referral)

    def create_referral(self, idempotency: IdempotentRequest | None = None, **facts: Any) -> Referral:
        referral = Referral(origin="manual", placement_id=None, **facts)
        self.save(referral, idempotency.record(referral.id, 201) if idempotency else None)
        return referral

    def refer_placed_child(
        self, case_id: str, municipality: str, child_pin: str, protected_identity: bool, placement_id: str
    ) -> None:
        """Auto-referral to the Network Centre: exactly one per placement."""
        if self._exists(Referral.id_for_placement(municipality, placement_id)):
            return
        referral = Referral(
            case_id=case_id,
            municipality=municipality,
            target="network_centre",
            child_pin=child_pin,
            protected_identity=protected_identity,
            child_status="placed",
            case_worker_id="unassigned",
            reason=AUTOMATIC_REASON,
            origin="placement",
            placement_id=placement_id,
            actor="system:placements",
        )
        self.save(referral)

    def accept_referral(
        self, referral_id: UUID, actor: str, idempotency: IdempotentRequest | None = None
    ) -> Referral:
        return self._change(referral_id, idempotency, lambda r: r.accept(actor))

    def decline_referral(
        self, referral_id: UUID, actor: str, reason: str, idempotency: IdempotentRequest | None = None
    ) -> Referral:
        return self._change(referral_id, idempotency, lambda r: r.decline(actor, reason))

    def close_referral(
        self, referral_id: UUID, actor: str, idempotency: IdempotentRequest | None = None
    ) -> Referral:
        return self._change(referral_id, idempotency, lambda r: r.close(actor))

    def revoke_referral(
        self, referral_id: UUID, actor: str, idempotency: IdempotentRequest | None = None
    ) -> Referral:
        return self._change(referral_id, idempotency, lambda r: r.revoke(actor))

    def get_referral(self, referral_id: UUID) -> Referral:
        try:
            return self.repository.get(referral_id)
        except AggregateNotFoundError:
            raise ReferralNotFound(str(referral_id)) from None

    def referral_ids(self, municipality: str, case_id: str | None = None) -> list[UUID]:
        return [
            referral_id
            for referral_id, owner, case in self._index.rows()
            if owner == municipality and (case_id is None or case == case_id)
        ]

    def _change(self, referral_id: UUID, idempotency: IdempotentRequest | None, command: Any) -> Referral:
        referral = self.get_referral(referral_id)
        command(referral)
        self.save(referral, idempotency.record(referral.id, 200) if idempotency else None)
        return referral

    def _exists(self, referral_id: UUID) -> bool:
        try:
            self.repository.get(referral_id)
        except AggregateNotFoundError:
            return False
        return True
