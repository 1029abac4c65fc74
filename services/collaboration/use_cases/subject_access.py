"""collaboration's part of a registerutdrag (GDPR art. 15, ADR 0018): the pool's records of a case.

The requests for a home the caller's municipality sent for the case, the homes of the pool its
placements lived in (whoever owns the home), the protection its placement records and referrals
said, which the pool keeps to send nothing of the child to partners, and which of its placements
its records said were in an emergency home, which the pool keeps so that the wait keeps a matched
place: of the caller's municipality's cases only.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any
from uuid import UUID

from services.collaboration.domain.emergency_waits import EmergencyWaits
from services.collaboration.domain.family_home import FamilyHome
from services.collaboration.domain.residents import named
from services.collaboration.results import RequestSeen
from services.collaboration.use_cases.family_homes import FamilyHomes
from services.collaboration.use_cases.matching import Matching
from services.kit.auth import Caller
from services.kit.domain.case_protection import CaseProtection
from services.kit.index import CatchUpIndex
from services.kit.subject_access import ChildsCases, Holdings


@dataclass(frozen=True)
class Residence:
    """A placement of the case in a home of the pool: when it moved in and, once it has, out."""

    placing_municipality: str
    case_id: str
    home_id: UUID
    placement_id: str
    moved_in: datetime
    moved_out: datetime | None = None


def _fold_residences(rows: dict[Any, Residence], e: Any) -> None:
    """Keyed by (home, placing municipality, placement id): each case system numbers its own."""
    if isinstance(e, FamilyHome.Occupied):
        rows[(e.originator_id, e.placing_municipality, e.placement_id)] = Residence(
            e.placing_municipality, e.case_id, e.originator_id, e.placement_id, e.timestamp
        )
    elif isinstance(e, FamilyHome.Freed):
        # Walked only for a Freed stored before it named its placer (``named`` needs no list then).
        living = ((p, i) for (home, p, i), r in rows.items() if home == e.originator_id and not r.moved_out)
        key = (e.originator_id, *named(living, e.placement_id, e.placing_municipality))
        if key in rows:
            rows[key] = replace(rows[key], moved_out=e.timestamp)


@dataclass(frozen=True)
class PoolRecords:
    """What the pool holds about one case: its matching requests (as read now) and its placements' homes."""

    case_id: str
    matching_requests: list[RequestSeen]
    residences: list[tuple[Residence, FamilyHome]]
    protection: CaseProtection | None = (
        None  # what the case's placement records and referrals said (ADR 0032)
    )
    waits: EmergencyWaits | None = None  # its placements its records said were a jourhem (ADR 0022)


class SubjectAccessUseCases(FamilyHomes, Matching):
    def __init__(self, env: dict[str, str] | None = None) -> None:
        super().__init__(env)
        self._residences = CatchUpIndex(
            self, _fold_residences, events=(FamilyHome.Occupied, FamilyHome.Freed)
        )

    def subject_access(self, caller: Caller, asked: ChildsCases) -> Holdings[PoolRecords]:
        """The pool's records of each case asked about, of the caller's municipality only."""
        return Holdings.of(
            self.name, caller.municipality, asked, lambda case_id: self._records(caller, case_id)
        )

    def _records(self, caller: Caller, case_id: str) -> PoolRecords | None:
        now = self.clock()
        requests = [
            RequestSeen(caller.municipality, self.repository.get(request_id), now)
            for request_id, (requester, case, _, _) in self._requests.items()
            if (requester, case) == (caller.municipality, case_id)
        ]
        residences = [
            (residence, self.repository.get(residence.home_id))
            for residence in self._residences.rows()
            if (residence.placing_municipality, residence.case_id) == (caller.municipality, case_id)
        ]
        protection = self.find(CaseProtection.id_for(caller.municipality, case_id))
        waits = self.find(EmergencyWaits.id_for(caller.municipality, case_id))
        if not (requests or residences or protection or waits):
            return None
        return PoolRecords(case_id, requests, residences, protection, waits)
