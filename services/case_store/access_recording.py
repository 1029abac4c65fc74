"""Recording each read of a case into that case's access log (ADR 0005, chained as ADR 0019 says).

The case store's own reads come through the kit's command path; every other service's reads
arrive as records and carry a source key, so a repeat of one is recorded once
(``AccessRecordSeen``).  Appending reads only the log's opening and its last record, and
concurrent readers of one case retry on the version conflict.

These are ``CaseStore``'s writes to the access log, mixed into it to keep its module small;
it says where each case's log is stored (``locate``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, TypeVar
from uuid import uuid4

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import IntegrityError

from services.case_store import SERVICE
from services.case_store.domain.access_log import AccessRecordSeen, CaseAccessLog
from services.case_store.identity import CaseLocation
from services.kit.cases import CaseRef
from services.kit.logs import get_logger
from services.kit.store import ServiceApplication

logger = get_logger(__name__)
T = TypeVar("T")
LOCAL_WRITE_ATTEMPTS = 5


class AccessRecording(ServiceApplication):
    if TYPE_CHECKING:  # CaseStore's own, where the case index is

        def locate(self, case: CaseRef) -> CaseLocation: ...

    def record_access(
        self,
        case_id: str,
        actor: str,
        actor_municipality: str,
        resource: str,
        purpose: str,
        outcome: str,
        municipality: str = "",
        *,
        service: str = SERVICE,
        source_key: str | None = None,
        source_digest: str = "",
        occurred_at: datetime | None = None,
    ) -> None:
        """One read of a case, into the case store's own access log (not the kit's ``CaseAccess``).

        The kit's command path calls this for the case store's own reads; the inbound
        handler for every other service's reads, with their ``service``, ``source_key`` and
        ``occurred_at`` (when the read was made there, ADR 0035).
        ``municipality`` is the case's own (the reader's when empty, as in records that
        predate it: only a reader's own cases were logged that way).
        """
        key = source_key or f"local:{uuid4()}"
        case = CaseRef(municipality or actor_municipality, case_id)

        def write() -> None:
            marker = self._marker_unless_repeat(source_key, source_digest, service) if source_key else None
            if marker is False:
                return  # recorded already: a repeat, however it came
            log = self._access_log_tail(self.locate(case))
            log.record(key, actor, actor_municipality, service, resource, purpose, outcome, occurred_at)
            self.save(log, *([marker] if isinstance(marker, AccessRecordSeen) else []))

        _retry_on_conflict(write)

    def _marker_unless_repeat(self, source_key: str, digest: str, service: str) -> AccessRecordSeen | bool:
        """The marker to store with another service's access record; False if it is a repeat.

        A marker stored with other content (or none) was not stored with this record: the read
        is recorded, never taken for a repeat, and the marker now says what it said.
        """
        marker_id = AccessRecordSeen.id_for(source_key)
        seen = None
        if not self.is_only_writer or self.exists(marker_id):  # a rebuild knows without a read
            try:
                seen = self.repository.get(marker_id)
            except AggregateNotFoundError:
                seen = None
        if seen is None:
            return AccessRecordSeen(source_key, digest)
        if seen.is_repeat(digest):
            return False
        logger.warning("an access record was marked seen with other content; recorded", service=service)
        seen.seen_again(digest)
        return seen

    def _access_log_tail(self, where: CaseLocation) -> CaseAccessLog:
        """The log as far as appending needs it: its opening and its last record, not the whole log."""
        pending = self._pending_aggregates() or {}
        if where.access_log_id in pending:
            return pending[where.access_log_id]
        if self.is_only_writer:  # a rebuild: what it saved is what is stored
            kept = self.kept_aggregate(where.access_log_id)
            if kept is not None:
                return kept
            if not self.exists(where.access_log_id):
                return where.new_access_log()
        first = self.recorder.select_events(where.access_log_id, limit=1)
        if not first:
            return where.new_access_log()
        last = self.recorder.select_events(where.access_log_id, desc=True, limit=1)
        started, newest = (self.mapper.to_domain_event(stored) for stored in (first[0], last[0]))
        return CaseAccessLog.at_tail(started, newest)


def _retry_on_conflict(write: Callable[[], T]) -> T:
    """Concurrent readers append to the same log: reload and try again on a version conflict."""
    for _ in range(LOCAL_WRITE_ATTEMPTS - 1):
        try:
            return write()
        except IntegrityError:
            continue
    return write()
