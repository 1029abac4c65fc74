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
from pydantic import BaseModel, Field

from services.case_store.application import CaseStoreApplication as CaseStore
from services.case_store.domain.access_log import CaseAccessLog
from services.case_store.domain.timeline import CaseTimeline
from services.case_store.reads import AccessLogRead, ChainCheck, TimelineRead, TimeView
from services.case_store.subject_access import CaseRecord
from services.kit.commands import Kit
from services.kit.instants import Instant
from services.kit.pages import Page
from services.kit.params import CaseIdPath, Paging
from services.kit.subject_access import REGISTERUTDRAG, REGISTRARS, ChildsCases, Part

READ_ROLES = ("case_worker", "coordinator", "network_centre", "safety_team", "auditor")
VERIFY_ROLES = ("auditor", "coordinator")
AUDIT_ROLES = ("auditor",)
AsOf = Annotated[
    Instant | None,
    Query(description="what had happened by then (entries' occurred_at); RFC 3339 with zone"),
]
KnownAsOf = Annotated[
    Instant | None,
    Query(description="what the case store knew by then (entries' recorded_at); RFC 3339 with zone"),
]

router = APIRouter(prefix="/cases", tags=["cases"])
subject_access = APIRouter(prefix="/subject-access", tags=["subject access"])


class TimelineEntry(BaseModel):
    position: int
    recorded_at: datetime
    occurred_at: datetime
    source: str
    event_type: str
    actor: str  # who caused the upstream event (its CloudEvent's `actor`), not who reads it
    summary: str
    source_key: str = Field(description="the upstream event's source and id: a repeat is known by it")
    previous_hash: str
    hash: str
    chain: int = Field(description="1: hashed without the recording time (before ADR 0019); 2: with it")

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
            source_key=entry.source_key,
            previous_hash=entry.previous_hash,
            hash=entry.entry_hash,
            chain=entry.chain,
        )


class TimelineView(Page[TimelineEntry]):
    """A page of a case's timeline: its entries in order of position."""

    case_id: str
    municipality: str
    as_of: datetime | None
    known_as_of: datetime | None

    @classmethod
    def of(cls, read: TimelineRead) -> TimelineView:
        page = cls.fields_of(read.entries)
        when = {"as_of": read.when.as_of, "known_as_of": read.when.known_as_of}
        return cls(case_id=read.case_id, municipality=read.municipality, **when, **page)


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
    occurred_at: datetime | None = Field(
        description="when the read was made; null for records stored before ADR 0035"
    )
    recorded_at: datetime = Field(description="when the case store recorded the read")
    actor: str
    actor_municipality: str
    service: str
    resource: str
    purpose: str
    outcome: str

    @classmethod
    def of(cls, record: CaseAccessLog.AccessRecorded) -> AccessRecord:
        times = ("occurred_at", "recorded_at")
        fields = {name: getattr(record, name) for name in cls.model_fields if name not in times}
        occurred_at = datetime.fromisoformat(record.occurred_at) if record.occurred_at else None
        return cls(occurred_at=occurred_at, recorded_at=record.timestamp, **fields)


class AccessLogView(Page[AccessRecord]):
    """A page of a case's access log, oldest first.  A page of a log from before ADR 0016 may
    hold fewer records than ``limit`` (even none) while ``next_cursor`` is not null."""

    @classmethod
    def of(cls, read: AccessLogRead) -> AccessLogView:
        return cls(**cls.fields_of(read.records))


@router.get("/{case_id}/timeline", response_model=TimelineView)
def get_timeline(
    case_id: CaseIdPath, kit: Kit, page: Paging, as_of: AsOf = None, known_as_of: KnownAsOf = None
) -> TimelineView:
    """The case's timeline, a page of entries at a time: what had happened by ``as_of`` and what the
    case store knew by ``known_as_of`` (both: the history as it was known then)."""
    when = TimeView(as_of, known_as_of)
    return kit.query(CaseStore.read_timeline, case_id, when, page, view=TimelineView, roles=READ_ROLES)


@router.get("/{case_id}/verify", response_model=VerificationView)
def verify_timeline(case_id: CaseIdPath, kit: Kit) -> VerificationView:
    return kit.query(CaseStore.verify_timeline, case_id, view=VerificationView, roles=VERIFY_ROLES)


@router.get("/{case_id}/access-log", response_model=AccessLogView)
def get_access_log(case_id: CaseIdPath, kit: Kit, page: Paging) -> AccessLogView:
    """Who read the case's data, oldest first, a page at a time."""
    return kit.query(CaseStore.read_access_log, case_id, page, view=AccessLogView, roles=AUDIT_ROLES)


class CaseRecordView(BaseModel):
    """A case's whole timeline and access log, as the two paged reads show them."""

    case_id: str
    timeline: list[TimelineEntry]
    access_log: list[AccessRecord]

    @classmethod
    def of(cls, case: CaseRecord) -> CaseRecordView:
        timeline = [TimelineEntry.of(entry) for entry in case.timeline]
        return cls(
            case_id=case.case_id, timeline=timeline, access_log=[AccessRecord.of(r) for r in case.access_log]
        )


@subject_access.post("", response_model=Part[CaseRecordView])
def subject_access_request(body: ChildsCases, kit: Kit) -> Part[CaseRecordView]:
    """The timelines and access logs of the child's cases (named by referrals' part) (GDPR art. 15)."""
    view = Part[CaseRecordView]
    return kit.query(CaseStore.subject_access, body, view=view, roles=REGISTRARS, purpose=REGISTERUTDRAG)
