"""What every service's application offers its use cases about case data.

Getting an aggregate that must be the caller's municipality's, and recording a read
of case data in the access log (the kit's command path calls it, never a use case).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from eventsourcing.application import AggregateNotFoundError, Repository

from services.kit.cases import CaseDataNotFound
from services.kit.domain.case_access import CaseAccess
from services.kit.domain.idempotency import IdempotencyRecord

if TYPE_CHECKING:
    from services.kit.access_chains import AccessChains
    from services.kit.auth import Caller


class CaseDataLookups:
    """Mixed into ``ServiceApplication``; uses its ``repository`` and ``save``."""

    repository: Repository[Any]
    access_chains: AccessChains

    def save(self, *objs: Any, **kwargs: Any) -> Any: ...  # provided by the application

    def record_access(
        self,
        case_id: str,
        actor: str,
        actor_municipality: str,
        resource: str,
        purpose: str,
        outcome: str,
        municipality: str = "",
    ) -> CaseAccess | None:
        """Log one read of case data before any of it is returned (ARCHITECTURE §2.8).

        ``municipality`` is the case's own (the reader's when empty).  The record is the next
        link of the case's chain of this service's access records (ADR 0020).
        """
        content = {
            "case_id": case_id,
            "municipality": municipality or actor_municipality,
            "actor": actor,
            "actor_municipality": actor_municipality,
            "resource": resource,
            "purpose": purpose,
            "outcome": outcome,
        }
        return self.access_chains.append(content)

    def refuse_caller(self, caller: Caller) -> None:
        """Raise when the service's own records refuse ``caller`` whatever their valid token says
        (scheduling: one removed from its roster).  The command path asks first, of the caller
        alone, so the answer tells nothing of what was asked for.  Nobody is refused by default."""

    def exists(self, aggregate_id: Any) -> bool:
        try:
            self.repository.get(aggregate_id)
        except AggregateNotFoundError:
            return False
        return True

    def idempotency_record(self, record_id: Any) -> IdempotencyRecord | None:
        try:
            return self.repository.get(record_id)
        except AggregateNotFoundError:
            return None

    def owned(self, aggregate_id: Any, municipality: str) -> Any:
        """The aggregate, if it exists and belongs to ``municipality``; else CaseDataNotFound.

        Another municipality's object is refused before any command touches it, so that
        no rule of its state (a 409, a 422) can tell the caller it exists.
        """
        try:
            aggregate = self.repository.get(aggregate_id)
        except AggregateNotFoundError:
            raise CaseDataNotFound() from None
        if aggregate.municipality != municipality:
            raise CaseDataNotFound.denied(aggregate.municipality, aggregate.case_id)
        return aggregate
