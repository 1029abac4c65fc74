"""The command path's access log: one record per case an answer carries (ARCHITECTURE §2.8).

Each record is the next link of its case's chain (``services.kit.access_chains``, ADR 0020).
Inside a command's unit of work a record whose position another reader took meanwhile
fails the whole unit of work; ``access_position_taken`` tells the command path to run it
again on fresh data instead of answering 409.
"""

from __future__ import annotations

from services.kit.attribution import Attribution
from services.kit.auth import Caller
from services.kit.cases import CaseDataNotFound, CaseRef, CaseRefusal
from services.kit.domain.case_access import CaseAccess
from services.kit.runtime import ServiceRuntime
from services.kit.store import IntegrityError, ServiceApplication


class AccessLogging:
    """Mixed into ``CommandPath``: logs its caller's reads of ``resource`` with its ``purpose``."""

    runtime: ServiceRuntime
    app: ServiceApplication
    caller: Caller
    purpose: str
    _resource: str

    def _log(self, refs: list[CaseRef], outcome: str) -> list[CaseAccess]:
        """One access record per case; the reads count once stored (not once per attempt)."""
        records = []
        for ref in refs:
            record = self.app.record_access(
                ref.case_id,
                self.caller.subject,
                self.caller.municipality,
                self._resource,
                self.purpose,
                outcome,
                ref.municipality,
            )
            records += [record] if record is not None else []
            self.app.after_commit(self.runtime.metrics.case_reads.labels(outcome=outcome).inc)
        return records

    def _log_missing(self, missing: CaseDataNotFound) -> None:
        if missing.case is not None:
            with self.app.acting_as(Attribution(self.caller.subject, self.purpose)):
                self._log([missing.case], missing.outcome)

    def told(self, refused: CaseRefusal) -> Exception:
        """The refusal to answer, once its read of the case is stored (503 if it cannot be)."""
        with self.app.acting_as(Attribution(self.caller.subject, self.purpose)):
            self._log([refused.case], "granted")
        return refused.refusal

    def access_position_taken(self, error: Exception, attempted: list[CaseAccess]) -> bool:
        """Whether ``error`` is another writer having taken an attempted record's position."""
        return isinstance(error, IntegrityError) and self.app.access_chains.position_taken(attempted)
