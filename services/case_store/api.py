"""HTTP API of the case store: a case's timeline (as of a time), its chain check and its access log.

Each route names its read, view and roles; the kit's command path logs the read in
the case's access log before any data leaves and answers absent and another
municipality's case alike.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import AwareDatetime, BaseModel, RootModel

from services.case_store.application import CaseStoreApplication as CaseStore
from services.case_store.domain.access_log import CaseAccessLog
from services.case_store.domain.timeline import CaseTimeline
from services.case_store.reads import AccessLogRead, ChainCheck, TimelineRead
from services.kit.commands import Kit
from services.kit.params import CaseIdPath

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


class TimelineView(BaseModel):
    case_id: str
    municipality: str
    as_of: datetime | None
    entries: list[TimelineEntry]

    @classmethod
    def of(cls, read: TimelineRead) -> TimelineView:
        entries = [TimelineEntry.of(entry) for entry in read.entries]
        return cls(case_id=read.case_id, municipality=read.municipality, as_of=read.as_of, entries=entries)


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


class AccessLogView(RootModel[list[AccessRecord]]):
    @classmethod
    def of(cls, read: AccessLogRead) -> AccessLogView:
        return cls([AccessRecord.of(record) for record in read.records])


@router.get("/{case_id}/timeline", response_model=TimelineView)
def get_timeline(case_id: CaseIdPath, kit: Kit, as_of: AsOf = None) -> TimelineView:
    return kit.query(CaseStore.read_timeline, case_id, as_of, view=TimelineView, roles=READ_ROLES)


@router.get("/{case_id}/verify", response_model=VerificationView)
def verify_timeline(case_id: CaseIdPath, kit: Kit) -> VerificationView:
    return kit.query(CaseStore.verify_timeline, case_id, view=VerificationView, roles=VERIFY_ROLES)


@router.get("/{case_id}/access-log", response_model=AccessLogView)
def get_access_log(case_id: CaseIdPath, kit: Kit) -> AccessLogView:
    return kit.query(CaseStore.read_access_log, case_id, view=AccessLogView, roles=AUDIT_ROLES)
