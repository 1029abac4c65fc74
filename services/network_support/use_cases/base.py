"""What every network_support use case shares: finding its aggregates, the clock, the KPI observer.

Case data here is keyed by (municipality, case id) or (municipality, placement id), always the
caller's own municipality: another municipality's object is simply not there (ARCHITECTURE §2.5).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, Protocol, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError

from services.kit.auth import Caller
from services.kit.cases import CaseDataNotFound, CaseRef
from services.kit.store import ServiceApplication
from services.network_support.domain.happened import require_happened
from services.network_support.domain.network_meetings import NetworkMeetings


class FollowUpObserver(Protocol):
    def follow_up_recorded(self, municipality: str, what: str, days: int) -> None: ...

    def deadline_passed(self, municipality: str, clock: str) -> None: ...

    def safety_follow_up_overdue(self, municipality: str) -> None: ...


class _Silent:
    def follow_up_recorded(self, municipality: str, what: str, days: int) -> None:
        pass

    def deadline_passed(self, municipality: str, clock: str) -> None:
        pass

    def safety_follow_up_overdue(self, municipality: str) -> None:
        pass


class CaseKeyed(Protocol):
    @staticmethod
    def id_for(municipality: str, key: str) -> UUID: ...


Found = TypeVar("Found", bound=CaseKeyed)


class NetworkSupportBase(ServiceApplication):
    def __init__(self, env: dict[str, str] | None = None) -> None:
        super().__init__(env)
        self.today: Callable[[], date] = date.today
        self.observer: FollowUpObserver = _Silent()

    def _happened(self, on: date, field: str = "on") -> None:
        """Refuse a fact dated after today (the application's clock, so tests can fix it)."""
        require_happened(on, self.today(), field)

    def _find(self, aggregate_id: UUID) -> Any | None:
        try:
            return self.repository.get(aggregate_id)
        except AggregateNotFoundError:
            return None

    def _of_case(self, kind: type[Found], caller: Caller, case_id: str) -> Found:
        """The caller's municipality's ``kind`` of this case, else the one 404 (logged as not_found)."""
        found = self._find(kind.id_for(caller.municipality, case_id))
        if found is None:
            raise CaseDataNotFound(CaseRef(caller.municipality, case_id))
        return found

    def _of_placement(self, kind: type[Found], caller: Caller, placement_id: str) -> Found:
        """The caller's municipality's ``kind`` of this placement, else the one 404."""
        found = self._find(kind.id_for(caller.municipality, placement_id))
        if found is None:
            raise CaseDataNotFound()
        return found

    def _meetings_of(self, municipality: str, case_id: str) -> NetworkMeetings:
        """The case's network meetings as scheduling announced them (none yet: an empty record)."""
        found = self._find(NetworkMeetings.id_for(municipality, case_id))
        return found or NetworkMeetings(municipality=municipality, case_id=case_id)
