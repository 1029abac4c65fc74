"""The monthly follow-up reports (seed 002), pure functions over what the follow-up clocks recorded.

- SAMS (school continuity): every school clock that opened in the month (a placement with a
  school change, or a change that moved the child's school), the days from placement to school
  start (or, while still open, to today or the placement's end), and the month's share that
  started school within 7 days.  Rows name the case and placement, never the child.
- Stella (parent support): per municipality, the placements that began in the month and how many
  of them had parent support offered within 7 days, later, not offered, or not due, and the
  month's sessions by mode and by parent.  Only placements whose start was seen: one known only
  from a change or an end never had its parent support clock open (a late start counts it).

Both judge a clock only once it is decided: done, or its 7 days passed while the placement ran.
One the placement's end closed within its 7 days was never missed, and one still within them is
not missed yet; they are listed (counted as not due) but never as misses.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from services.network_support.domain.follow_up_clocks import PARENT_SUPPORT_WITHIN, SCHOOL_START_WITHIN


@dataclass(frozen=True)
class FollowUpFacts:
    """What the reports need of one placement's follow-up (no personal data)."""

    municipality: str
    case_id: str
    placement_id: str
    started_on: date
    parent_support_offered_on: date | None = None
    sessions: tuple[tuple[date, str, str], ...] = ()  # (day, mode, parent)
    school_clocks: tuple[tuple[date, date | None], ...] = ()  # (clock from, school started on)
    ended_on: date | None = None
    start_seen: bool = True  # False: known only from a change or an end; its start's clocks never ran


@dataclass(frozen=True)
class SchoolStartRow:
    case_id: str
    placement_id: str
    placed_on: date  # the day the school clock started: the placement, or the change of school
    school_started_on: date | None
    days: int  # to school start; while open, to today (or the placement's end)
    still_open: bool  # no school start yet and the placement goes on
    within_week: bool

    @property
    def decided(self) -> bool:
        """Counted in the share: school started, or no start in the 7 days the placement ran."""
        return self.school_started_on is not None or self.days > SCHOOL_START_WITHIN.days


@dataclass(frozen=True)
class SchoolStartMonth:
    rows: list[SchoolStartRow]
    share_within_week: float | None  # None: no row of the month decided yet


def school_start_report(facts: list[FollowUpFacts], first: date, last: date, today: date) -> SchoolStartMonth:
    rows = sorted(
        (
            _school_row(f, since, started, today)
            for f in facts
            for since, started in f.school_clocks
            if first <= since <= last
        ),
        key=lambda row: (row.placed_on, row.case_id, row.placement_id),
    )
    decided = [row for row in rows if row.decided]
    share = round(sum(row.within_week for row in decided) / len(decided), 3) if decided else None
    return SchoolStartMonth(rows, share)


def _school_row(facts: FollowUpFacts, since: date, started: date | None, today: date) -> SchoolStartRow:
    until = started or min(today, facts.ended_on or today)
    days = max((until - since).days, 0)
    # a start dated before its clock (stored before such dates were refused) is not counted on time
    within = started is not None and since <= started and started - since <= SCHOOL_START_WITHIN
    still_open = started is None and facts.ended_on is None  # an end closes the clock, never as missed
    return SchoolStartRow(facts.case_id, facts.placement_id, since, started, days, still_open, within)


@dataclass(frozen=True)
class ParentSupportMonth:
    municipality: str
    placements_started: int
    offered_within_week: int
    offered_later: int
    not_offered: int  # its 7 days passed while it ran, without an offer: missed
    not_due: int  # no offer, but still within its 7 days or ended within them: not missed
    sessions: int
    sessions_by_mode: dict[str, int]
    sessions_by_parent: dict[str, int]


def parent_support_report(
    facts: list[FollowUpFacts], first: date, last: date, today: date
) -> list[ParentSupportMonth]:
    """One row per municipality with a placement or a session in the month, in code order."""
    months = []
    for municipality in sorted({f.municipality for f in facts}):
        own = [f for f in facts if f.municipality == municipality]
        started = [f for f in own if f.start_seen and first <= f.started_on <= last]
        sessions = [s for f in own for s in f.sessions if first <= s[0] <= last]
        if not started and not sessions:
            continue
        offered = [f.parent_support_offered_on - f.started_on for f in started if f.parent_support_offered_on]
        missed = sum(_parent_support_missed(f, today) for f in started)
        months.append(
            ParentSupportMonth(
                municipality=municipality,
                placements_started=len(started),
                offered_within_week=sum(delay <= PARENT_SUPPORT_WITHIN for delay in offered),
                offered_later=sum(delay > PARENT_SUPPORT_WITHIN for delay in offered),
                not_offered=missed,
                not_due=len(started) - len(offered) - missed,
                sessions=len(sessions),
                sessions_by_mode=dict(sorted(Counter(mode for _, mode, _ in sessions).items())),
                sessions_by_parent=dict(sorted(Counter(parent for _, _, parent in sessions).items())),
            )
        )
    return months


def _parent_support_missed(facts: FollowUpFacts, today: date) -> bool:
    """Not offered, and its 7 days passed while the placement ran (an end within them closed it)."""
    ran_until = min(today, facts.ended_on or today)
    return facts.parent_support_offered_on is None and ran_until > facts.started_on + PARENT_SUPPORT_WITHIN
