"""When a staff meeting is in time for its 7-day deadline: when it ends on the deadline's day.

The deadline is kept as the instant seven days after the referral (stored and published as such),
but a duty is due on a Swedish calendar day and overdue the day after (ADR 0025): a meeting at
10:00 on day 7 of a referral received at 08:00 is on time, as the worklist says, not missed.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta


def ends_in_time(end: datetime, deadline: datetime) -> bool:
    """``end`` and ``deadline`` are local wall-clock times; the deadline's day ends at midnight."""
    return end <= datetime.combine(deadline.date(), time()) + timedelta(days=1)
