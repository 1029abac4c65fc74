"""Path and query parameters typed with the contracts' own types (ARCHITECTURE §2.6), and paging.

What an API accepts must be publishable later: a case id shaped like a personal identity
number is refused here, with 422, before anything (an access record included) is stored.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path, Query

from contracts.common import CaseId, Identifier
from services.kit.pages import DEFAULT_LIMIT, MAX_CURSOR_LENGTH, MAX_LIMIT, PageRequest, decode_cursor

CaseIdPath = Annotated[
    CaseId, Path(description="the municipality's case id (never a personal identity number)")
]
CaseIdQuery = Annotated[
    CaseId | None, Query(description="the municipality's case id (never a personal identity number)")
]
IdentifierPath = Annotated[
    Identifier, Path(description="an opaque id: 1-100 letters, digits, '.', '_', ':' or '-'")
]


def page_request(
    limit: Annotated[
        int, Query(ge=1, le=MAX_LIMIT, description=f"at most this many items (1-{MAX_LIMIT})")
    ] = DEFAULT_LIMIT,
    cursor: Annotated[
        str | None,
        Query(
            description="the previous page's `next_cursor`; leave out for the first page",
            json_schema_extra={"maxLength": MAX_CURSOR_LENGTH, "pattern": "^[A-Za-z0-9_-]+$"},
        ),
    ] = None,
) -> PageRequest:
    """``limit`` and ``cursor`` of a list route; a cursor no page gave out is 422 ``invalid_cursor``."""
    return PageRequest(limit, decode_cursor(cursor))


Paging = Annotated[PageRequest, Depends(page_request)]
"""What every list route takes and passes on to its use case (``services.kit.pages``)."""
