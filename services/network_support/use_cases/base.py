"""What every network_support use case shares: finding its aggregates, the clock, the KPI observer.

Case data here is keyed by (municipality, case id) or (municipality, placement id), always the
caller's own municipality: another municipality's object is simply not there (ARCHITECTURE §2.5).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any, Protocol, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError

from services.kit.auth import Caller
from services.kit.cases import CaseDataNotFound, CaseRef, CaseRefusal
from services.kit.store import ServiceApplication
from services.kit.worklist import local_today
from services.network_support.domain.follow_up_errors import FollowUpError
from services.network_support.domain.happened import require_happened
from services.network_support.domain.home_return_errors import HomeReturnError
from services.network_support.domain.network_map import NetworkMapError
from services.network_support.domain.network_meetings import MeetingReferenceError, NetworkMeetings
from services.network_support.domain.network_placement_inquiry import InquiryError
from services.network_support.domain.plan_limits import PlanFull
from services.network_support.domain.safety_plan_rules import SafetyPlanError
from services.network_support.domain.support_plan import PlanError

# What a case's map, plans, inquiry, home-return process or placement refuses: each refusal says
# something of the case (concluded, closed, full, who is on the map, when the placement began).
# A fact dated after today is not here: it is checked against the clock alone, before any lookup.
REFUSALS = (
    NetworkMapError,
    SafetyPlanError,
    PlanError,
    PlanFull,
    InquiryError,
    HomeReturnError,
    FollowUpError,
    MeetingReferenceError,
)


class FollowUpObserver(Protocol):
    def follow_up_recorded(self, municipality: str, what: str, days: int) -> None: ...

    def deadline_passed(self, municipality: str, clock: str) -> None: ...

    def safety_follow_up_overdue(self, municipality: str) -> None: ...

    def home_return_follow_up_overdue(self, municipality: str) -> None: ...


class _Silent:
    def follow_up_recorded(self, municipality: str, what: str, days: int) -> None:
        pass

    def deadline_passed(self, municipality: str, clock: str) -> None:
        pass

    def safety_follow_up_overdue(self, municipality: str) -> None:
        pass

    def home_return_follow_up_overdue(self, municipality: str) -> None:
        pass


class CaseKeyed(Protocol):
    @staticmethod
    def id_for(municipality: str, key: str) -> UUID: ...


Found = TypeVar("Found", bound=CaseKeyed)


class OfACase(Protocol):
    @property
    def municipality(self) -> str: ...

    @property
    def case_id(self) -> str: ...


Told = TypeVar("Told", bound=OfACase)


class NetworkSupportBase(ServiceApplication):
    def __init__(self, env: dict[str, str] | None = None) -> None:
        super().__init__(env)
        # The Swedish calendar day (ADR 0025), never the host's: containers run on UTC.
        self.today: Callable[[], date] = local_today
        self.observer: FollowUpObserver = _Silent()

    def _happened(self, on: date, field: str = "on") -> None:
        """Refuse a fact dated after today (the application's clock, so tests can fix it)."""
        require_happened(on, self.today(), field)

    @contextmanager
    def _refusals_told(self, found: Told) -> Iterator[Told]:
        """A refusal by ``found``, the caller's own (another municipality's is the 404 first), tells
        them of its case: the kit logs it as a read of the case before answering it (§2.8)."""
        try:
            yield found
        except REFUSALS as refusal:
            raise CaseRefusal(CaseRef(found.municipality, found.case_id), refusal) from refusal

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
