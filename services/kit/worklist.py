"""Worklists (issue 16 item 3): what is due in the caller's municipality, when, and for whom.

Each service that owns an obligation serves ``GET /api/v1/worklist``.  Its use case lists the
obligations as ``Duty`` rows (from an index: no aggregate is loaded), and ``worklist`` keeps the
caller's municipality's, filters them (the route's filters: ``services.kit.worklist_filters``),
orders them by due date and pages them the kit's one way (``services.kit.pages``).  An item names
the case, what is due, when, whether it is overdue, the responsible role (and person, where known)
and the API path to act on it; never a personal identity number.  The page carries case data, so it goes through ``kit.query``: one access record
per case on the page.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, Field

from services.kit.cases import CaseRef
from services.kit.domain.swedish_time import LOCAL
from services.kit.pages import Page, Paged, PageRequest


def local_today() -> date:
    """Today in Sweden: deadlines fall due by the Swedish calendar day."""
    return datetime.now(LOCAL).date()


@dataclass(frozen=True)
class Duty:
    """One obligation: ``key`` is unique in its service's list and breaks ties of a due date."""

    municipality: str
    case_id: str
    obligation: str
    due: date
    role: str
    assignee: str | None
    action: str
    key: str

    def is_overdue(self, today: date) -> bool:
        """Due by the end of its due date: overdue from the day after."""
        return today > self.due


@dataclass(frozen=True)
class WorklistFilter:
    """What the caller asked to see; None is "any".  ``roles`` are the responsible roles whose
    duties the asked role answers for (``services.kit.worklist_filters``)."""

    assignee: str | None = None
    roles: frozenset[str] | None = None
    due_before: date | None = None
    overdue: bool | None = None

    def picks(self, duty: Duty, today: date) -> bool:
        return (
            self.assignee in (None, duty.assignee)
            and (self.roles is None or duty.role in self.roles)
            and (self.due_before is None or duty.due < self.due_before)
            and self.overdue in (None, duty.is_overdue(today))
        )


@dataclass(frozen=True)
class Worklist:
    """A page of duties and the day they were judged on."""

    page: Paged[Duty]
    today: date

    def case_refs(self) -> list[CaseRef]:
        return self.page.case_refs()


def worklist(
    duties: Iterable[Duty], municipality: str, wanted: WorklistFilter, page: PageRequest, today: date
) -> Worklist:
    """The municipality's duties ``wanted`` picks, earliest due first, a page at a time."""
    mine = sorted(
        (d for d in duties if d.municipality == municipality and wanted.picks(d, today)), key=_order
    )
    return Worklist(page.select(mine, key=_order), today)


def _order(duty: Duty) -> list[str]:
    return [duty.due.isoformat(), duty.key]


class WorklistItemView(BaseModel):
    case_id: str
    obligation: str = Field(
        description="what is due, e.g. referral_response, case_worker_assignment, staff_meeting, parent_support"
    )
    due: date = Field(description="the last day it is due on (Europe/Stockholm)")
    overdue: bool
    responsible_role: str
    assignee: str | None = Field(description="the responsible person's staff id, where known")
    action_path: str = Field(description="the API path to act on it")

    @classmethod
    def of(cls, duty: Duty, today: date) -> WorklistItemView:
        return cls(
            case_id=duty.case_id,
            obligation=duty.obligation,
            due=duty.due,
            overdue=duty.is_overdue(today),
            responsible_role=duty.role,
            assignee=duty.assignee,
            action_path=duty.action,
        )


class WorklistView(Page[WorklistItemView]):
    """A page of a worklist, earliest due first."""

    @classmethod
    def of(cls, page: Any) -> WorklistView:
        return cls(**cls.fields_of(page.page, lambda duty: WorklistItemView.of(duty, page.today)))
