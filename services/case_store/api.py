"""HTTP API of the case store: a case's timeline (as of a time), its chain check and its access log.

The timeline and the access log are paged (``services.kit.pages``): each page is read from
the store on its own, never the whole of a long log.

Each route names its read, view and roles; the kit's command path logs the read in
the case's access log before any data leaves and answers absent and another
municipality's case alike.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import AwareDatetime, BaseModel

from services.case_store.application import CaseStoreApplication as CaseStore
from services.case_store.domain.access_log import CaseAccessLog
from services.case_store.domain.timeline import CaseTimeline
from services.case_store.reads import AccessLogRead, ChainCheck, TimelineRead
from services.kit.commands import Kit
from services.kit.pages import Page
from services.kit.params import CaseIdPath, Paging

READ_ROLES = ("case_worker", "coordinator", "network_centre", "safety_team", "auditor")
VERIFY_ROLES = ("auditor", "coordinator")
AUDIT_ROLES = ("auditor",)
AsOf = Annotated[AwareDatetime | None, Query(description="RFC 3339 time with zone")]

router = APIRouter(prefix="/cases", tags=["cases"])


class TimelineEntry(BaseModel):
    position: int
    recorded_at: datetime
    occurred_at: datetime
    source: str
    event_type: str
    actor: str  # who caused the upstream event (its CloudEvent's `actor`), not who reads it
    summary: str
    hash: str

    @classmethod
    def of(cls, entry: CaseTimeline.EntryAppended) -> TimelineEntry:
        return cls(
            position=entry.position,
            recorded_at=entry.timestamp,
            occurred_at=datetime.fromisoformat(entry.occurred_at),
            source=entry.source,
            event_type=entry.event_type,
            actor=entry.actor,
            summary=entry.summary,
            hash=entry.entry_hash,
        )


class TimelineView(Page[TimelineEntry]):
    """A page of a case's timeline: its entries in order of position."""

    case_id: str
    municipality: str
    as_of: datetime | None

    @classmethod
    def of(cls, read: TimelineRead) -> TimelineView:
        page = cls.fields_of(read.entries)
        return cls(case_id=read.case_id, municipality=read.municipality, as_of=read.as_of, **page)


class VerificationView(BaseModel):
    case_id: str
    municipality: str
    ok: bool
    entries_checked: int
    first_broken_position: int | None
    reason: str | None

    @classmethod
    def of(cls, check: ChainCheck) -> VerificationView:
        return cls(case_id=check.case_id, municipality=check.municipality, **vars(check.verification))


class AccessRecord(BaseModel):
    recorded_at: datetime
    actor: str
    actor_municipality: str
    service: str
    resource: str
    purpose: str
    outcome: str

    @classmethod
    def of(cls, record: CaseAccessLog.AccessRecorded) -> AccessRecord:
        fields = {name: getattr(record, name) for name in cls.model_fields if name != "recorded_at"}
        return cls(recorded_at=record.timestamp, **fields)


class AccessLogView(Page[AccessRecord]):
    """A page of a case's access log, oldest first.  A page of a log from before ADR 0016 may
    hold fewer records than ``limit`` (even none) while ``next_cursor`` is not null."""

    @classmethod
    def of(cls, read: AccessLogRead) -> AccessLogView:
        return cls(**cls.fields_of(read.records))


@router.get("/{case_id}/timeline", response_model=TimelineView)
def get_timeline(case_id: CaseIdPath, kit: Kit, page: Paging, as_of: AsOf = None) -> TimelineView:
    """The case's timeline (as it stood at ``as_of``), a page of entries at a time."""
    return kit.query(CaseStore.read_timeline, case_id, as_of, page, view=TimelineView, roles=READ_ROLES)


@router.get("/{case_id}/verify", response_model=VerificationView)
def verify_timeline(case_id: CaseIdPath, kit: Kit) -> VerificationView:
    return kit.query(CaseStore.verify_timeline, case_id, view=VerificationView, roles=VERIFY_ROLES)


@router.get("/{case_id}/access-log", response_model=AccessLogView)
def get_access_log(case_id: CaseIdPath, kit: Kit, page: Paging) -> AccessLogView:
    """Who read the case's data, oldest first, a page at a time."""
    return kit.query(CaseStore.read_access_log, case_id, page, view=AccessLogView, roles=AUDIT_ROLES)
