"""Swedish time: days, deadlines and plausibility checks fall by the Swedish calendar day.

One definition of the zone for every service: a day computed in UTC would move a
fact recorded after 23:00 in winter (22:00 in summer) to the next day.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

LOCAL = ZoneInfo("Europe/Stockholm")


def swedish_day(moment: datetime) -> date:
    """The Swedish day of ``moment``; a moment without an offset is taken as Swedish already."""
    return (moment.astimezone(LOCAL) if moment.tzinfo else moment).date()
