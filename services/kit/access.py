"""Object-level access to case data: same municipality only, and every attempt logged."""

from __future__ import annotations

from typing import Annotated

from fastapi import Header

from services.kit.auth import Caller
from services.kit.http import not_found
from services.kit.metrics import ServiceMetrics
from services.kit.store import ServiceApplication

DEFAULT_PURPOSE = "case work"

PurposeHeader = Annotated[str, Header(alias="X-Access-Purpose", max_length=200)]


def check_case_access(
    app: ServiceApplication,
    metrics: ServiceMetrics,
    caller: Caller,
    case_id: str,
    owner_municipality: str,
    resource: str,
    purpose: str = DEFAULT_PURPOSE,
) -> None:
    """Log the read, then refuse (404, as if absent) a caller from another municipality.

    The log is written before any data is returned: if it cannot be written,
    the exception propagates and the caller gets no data.
    """
    outcome = "granted" if caller.municipality == owner_municipality else "denied"
    app.record_access(
        case_id, caller.subject, caller.municipality, resource, purpose or DEFAULT_PURPOSE, outcome
    )
    metrics.case_reads.labels(outcome=outcome).inc()
    if outcome == "denied":
        raise not_found()


def log_own_case_read(
    app: ServiceApplication,
    metrics: ServiceMetrics,
    caller: Caller,
    case_id: str,
    resource: str,
    purpose: str,
    found: bool,
) -> None:
    """Log a read of the caller's own municipality's case data (found or not), then 404 if absent.

    For services that key case data by (municipality, case id): another
    municipality's case is simply not there for the caller.
    """
    outcome = "granted" if found else "not_found"
    app.record_access(
        case_id, caller.subject, caller.municipality, resource, purpose or DEFAULT_PURPOSE, outcome
    )
    metrics.case_reads.labels(outcome=outcome).inc()
    if not found:
        raise not_found(resource)
