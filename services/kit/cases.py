"""Case identity and the one way a use case says "not there for you".

A case is (municipality, case id) (ARCHITECTURE §2.5).  A use case that
finds nothing, or finds another municipality's object, raises
``CaseDataNotFound``: the kit logs it and answers exactly as for absent data.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, order=True)
class CaseRef:
    municipality: str
    case_id: str


class CaseDataNotFound(Exception):
    """Absent, or another municipality's: the caller must not be able to tell which.

    ``case`` names the case the attempt concerned, when known, so that the attempt
    is logged in that case's access log (``outcome``: denied or not_found).
    """

    def __init__(self, case: CaseRef | None = None, outcome: str = "not_found") -> None:
        super().__init__("not found")
        self.case = case
        self.outcome = outcome

    @classmethod
    def denied(cls, municipality: str, case_id: str) -> CaseDataNotFound:
        return cls(CaseRef(municipality, case_id), "denied")


class CaseRefusal(Exception):
    """A rule of one case's object refused a command (a meeting already held, not yet begun):
    the refusal tells the caller of ``case``, so the kit logs it as a read of that case, fail-
    closed, before it answers with ``refusal`` (ARCHITECTURE §2.8).  Raised by a use case around
    an object ``owned`` has already given the caller (another municipality's is a 404 first)."""

    def __init__(self, case: CaseRef, refusal: Exception) -> None:
        super().__init__(str(refusal))
        self.case = case
        self.refusal = refusal


def case_refs(result: Any) -> list[CaseRef]:
    """The cases whose data a use case's result carries, in a stable order.

    An object with ``municipality`` and ``case_id`` is one case; an object with a
    ``case_refs()`` method names its own; a list or tuple is the union of its items.
    Each case is named once, however many items carry it: a page of 50 items of one
    case is one access record (``services.kit.pages.Paged``).
    """
    if result is None:
        return []
    if hasattr(result, "case_refs"):
        return sorted(set(result.case_refs()))
    municipality, case_id = getattr(result, "municipality", None), getattr(result, "case_id", None)
    if isinstance(municipality, str) and isinstance(case_id, str):
        return [CaseRef(municipality, case_id)]
    if isinstance(result, list | tuple):
        return sorted({ref for item in result for ref in case_refs(item)})
    return []


def unique(refs: Iterable[CaseRef]) -> list[CaseRef]:
    return sorted(set(refs))
