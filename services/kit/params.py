"""Path and query parameters typed with the contracts' own types (ARCHITECTURE §2.6).

What an API accepts must be publishable later: a case id shaped like a personal identity
number is refused here, with 422, before anything (an access record included) is stored.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Path

from contracts.common import CaseId, Identifier

CaseIdPath = Annotated[
    CaseId, Path(description="the municipality's case id (never a personal identity number)")
]
IdentifierPath = Annotated[
    Identifier, Path(description="an opaque id: 1-100 letters, digits, '.', '_', ':' or '-'")
]
