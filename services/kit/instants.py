"""An instant as the API accepts it: RFC 3339 text with an offset, within the calendar in UTC.

Pydantic's lax mode would take ``1700000000`` (or ``"1700000000"``, all a query string
holds) for a time in seconds, a time without an offset as a time nowhere, and a time
whose UTC reading falls past 9999-12-31 (or before year 1) only to fail later, when it
is converted: each is refused here with 422, naming neither the value nor the field.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Annotated, Any

from pydantic import AfterValidator, AwareDatetime, BeforeValidator

_RFC_3339 = re.compile(r"\d{4}-\d\d-\d\d[Tt]\d\d:\d\d:\d\d(\.\d+)?([Zz]|[+-]\d\d:\d\d)")


def _rfc_3339_text(value: Any) -> Any:
    if isinstance(value, datetime):
        return value
    if not isinstance(value, str) or not _RFC_3339.fullmatch(value):
        raise ValueError("must be an RFC 3339 date-time with an offset, e.g. 2026-11-01T10:00:00Z")
    return value


def _within_the_calendar(moment: datetime) -> datetime:
    try:
        moment.astimezone(UTC)
    except OverflowError:
        raise ValueError("must be within the years 1-9999 in UTC") from None
    return moment


Instant = Annotated[AwareDatetime, BeforeValidator(_rfc_3339_text), AfterValidator(_within_the_calendar)]
"""A point in time a caller names: aware, representable in UTC, given as RFC 3339 text."""
