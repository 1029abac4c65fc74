"""This service's access records as one hash chain per case, (municipality, case id) (ADR 0020).

The head of each case's chain comes from a catch-up index over the notification log,
caught up once per unit of work (on every write outside one).  A new record takes the
position after the head under an id derived from that position, so two writers (two
readers of the same case, two replicas) cannot both take it: the store refuses the
second.  Outside a unit of work ``append`` then tries again with a fresh head; inside
one the whole unit of work must be tried again (``position_taken`` tells the kit's
command path so).  The check reads a case's records by their ids, one position after
the other: a page of cases costs the records of those cases, never a scan of the store.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from eventsourcing.persistence import IntegrityError

from services.kit.cases import CaseRef
from services.kit.domain.access_chain import ChainCheck, check_access_chain
from services.kit.domain.case_access import CaseAccess, ChainHead, content_of
from services.kit.index import CatchUpIndex
from services.kit.pages import PageRequest

if TYPE_CHECKING:
    from services.kit.store import ServiceApplication

WRITE_ATTEMPTS = 20  # each conflict means another reader of the case got a position first


@dataclass(frozen=True)
class BrokenAccessChain:
    municipality: str
    case_id: str
    first_broken_position: int
    reason: str


@dataclass(frozen=True)
class AccessChainsReport:
    """A page of cases checked: chains among them, their unchained (older) records, the broken ones."""

    chains_checked: int
    unchained_records: int
    broken: list[BrokenAccessChain]
    next_key: Any = None


class AccessChains:
    def __init__(self, app: ServiceApplication) -> None:
        self._app = app
        self._heads: CatchUpIndex[ChainHead] = CatchUpIndex(app, _fold_head, events=(CaseAccess.Recorded,))

    # -- writing --------------------------------------------------------------------------
    def append(self, content: dict[str, str]) -> CaseAccess:
        """Save the next record of the chain of the case ``content`` names (in the unit of work, if any)."""
        attempt = 1
        while True:
            record = self._next(content)
            try:
                self._app.save(record)
                return record
            except IntegrityError:
                if attempt == WRITE_ATTEMPTS or not self.position_taken([record]):
                    raise
                attempt += 1

    def position_taken(self, records: list[CaseAccess]) -> bool:
        """Whether another writer stored a record at one of these records' positions."""
        return any(self._app.recorder.select_events(record.id, lte=1, limit=1) for record in records)

    def _next(self, content: dict[str, str]) -> CaseAccess:
        head = self._head(CaseRef(content["municipality"], content["case_id"]))
        return CaseAccess.record(self._app.name, head, content, CaseAccess.Recorded.create_timestamp())

    def _head(self, case: CaseRef) -> ChainHead:
        work = self._app.current_work()
        pending = [
            record
            for record in getattr(work, "aggregates", {}).values()
            if isinstance(record, CaseAccess) and record.position and _case_of(record) == case
        ]
        if pending:  # a second record of the case in one unit of work links to the first
            newest = max(pending, key=lambda record: record.position)
            return ChainHead(newest.position, newest.entry_hash)
        return self._heads.get(case, work if work is not None else object()) or ChainHead()

    # -- checking -------------------------------------------------------------------------
    def report(self, page: PageRequest) -> AccessChainsReport:
        """A page of cases (in order of their first record), each chain walked from its genesis."""
        chosen = self._heads.page(page, lambda _: True)
        checks = [(case, self.check(case, head)) for case, head in chosen.items if head.position]
        broken = [
            BrokenAccessChain(case.municipality, case.case_id, check.first_broken_position, check.reason)
            for case, check in checks
            if check.first_broken_position is not None and check.reason is not None
        ]
        broken += [
            BrokenAccessChain(
                case.municipality,
                case.case_id,
                head.unchained_after + 1,
                f"a record without a chain was stored after link {head.unchained_after}: inserted since",
            )
            for case, head in chosen.items
            if head.unchained_after is not None
        ]
        unchained = sum(head.unchained for _, head in chosen.items)
        return AccessChainsReport(len(checks), unchained, broken, chosen.next_key)

    def check(self, case: CaseRef, head: ChainHead) -> ChainCheck:
        records = self._stored(case, head.position)
        return check_access_chain(self._app.name, case.municipality, case.case_id, records)

    def _stored(self, case: CaseRef, head: int) -> Iterator[CaseAccess.Recorded | Exception | None]:
        """The records at positions 1 to ``head``, read one by one as the walk asks for them."""
        for position in range(1, head + 1):
            record_id = CaseAccess.id_for(self._app.name, case.municipality, case.case_id, position)
            stored = self._app.recorder.select_events(record_id, lte=1, limit=1)
            yield self._decoded(stored[0]) if stored else None

    def _decoded(self, stored: Any) -> CaseAccess.Recorded | Exception:
        try:
            recorded = self._app.mapper.to_domain_event(stored)
        except Exception as error:  # noqa: BLE001 - altered bytes fail to decode in many ways
            return error
        return recorded if isinstance(recorded, CaseAccess.Recorded) else TypeError("not an access record")


def _case_of(record: CaseAccess) -> CaseRef:
    return CaseRef(record.municipality, record.case_id)


def _fold_head(rows: dict[Any, ChainHead], domain_event: Any) -> None:
    if isinstance(domain_event, CaseAccess.Recorded):
        content = content_of(domain_event)  # events stored before a field existed lack it
        case = CaseRef(content["municipality"], content["case_id"])
        rows[case] = rows.get(case, ChainHead()).after(domain_event)
