"""What every network_support route shares: who may read or write, path ids, dated pairs."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query
from pydantic import WithJsonSchema

from contracts.common import Day
from services.kit.params import CaseIdPath as CaseIdPath  # re-exported for the routers
from services.kit.params import IdentifierPath

STAFF = ("case_worker", "coordinator", "network_centre", "safety_team")
READERS = (*STAFF, "auditor")
TAGS = ["network support"]

PlacementPath = IdentifierPath
ReferralPath = IdentifierPath
AsOf = Annotated[Day | None, Query(description="read as it was at the end of this day (Europe/Stockholm)")]


def _pair(first: dict[str, object], second: dict[str, object], description: str) -> WithJsonSchema:
    """A two-item array (``prefixItems`` would say it better, but not every OpenAPI tool reads it yet)."""
    items = {"anyOf": [first, second]}
    return WithJsonSchema(
        {"type": "array", "minItems": 2, "maxItems": 2, "items": items, "description": description}
    )


_DATE = {"type": "string", "format": "date"}
DatedScale = Annotated[
    tuple[Day, int], _pair(_DATE, {"type": "integer", "minimum": 0, "maximum": 10}, "[day, scale 0-10]")
]
DatedPhase = Annotated[tuple[str, Day], _pair({"type": "string"}, _DATE, "[phase, day it began]")]
