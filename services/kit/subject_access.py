"""A child's right of access (GDPR art. 15, registerutdrag): what every service's part shares.

``POST /api/v1/subject-access`` on each service, role ``registrar``, logged with purpose
``registerutdrag`` whatever the request says (ADR 0018).  The personal identity number goes to
referrals only, the one service that holds it, in the request body (``ChildByPin``): never in a
URL, a log line or an error.  Referrals answers with the child's cases of the caller's
municipality; every other service with what it holds about those cases (``ChildsCases``).
Scope is always the caller's municipality: another municipality's case of the same id is
another child's, and is not there.

A service's part is ``Holdings`` (its name, the municipality, one read object per case that
holds anything) seen as ``Part[CaseView]``; the kit logs one access record per case it carries.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Generic, Protocol, Self, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from contracts.common import CaseId
from contracts.pin import PersonalIdentityNumber
from services.kit.cases import CaseRef, unique

REGISTRARS = ("registrar",)
REGISTERUTDRAG = "registerutdrag"
MAX_CASES = 50


class OfACase(Protocol):
    """A service's read object of one case."""

    @property
    def case_id(self) -> str: ...


T = TypeVar("T", bound=OfACase)
V = TypeVar("V")


class ChildByPin(BaseModel):
    """Whose data: the child's personal identity number (only referrals is asked with it)."""

    model_config = ConfigDict(extra="forbid")

    pin: PersonalIdentityNumber


class ChildsCases(BaseModel):
    """Which of the caller's municipality's cases: those referrals named for the child."""

    model_config = ConfigDict(extra="forbid")

    case_ids: list[CaseId] = Field(
        max_length=MAX_CASES, description=f"at most {MAX_CASES}; ask again for more"
    )

    def each(self) -> list[str]:
        """The case ids, each once, in the order given."""
        return list(dict.fromkeys(self.case_ids))


@dataclass(frozen=True)
class Holdings(Generic[T]):
    """What one service holds about a child's cases: a read object per case that holds anything."""

    service: str
    municipality: str
    cases: list[T]

    @classmethod
    def of(
        cls, service: str, municipality: str, asked: ChildsCases, held: Callable[[str], T | None]
    ) -> Holdings[T]:
        """``held(case_id)`` per case asked about: the case's read object, or None when it holds nothing."""
        return cls(service, municipality, _present(held(case_id) for case_id in asked.each()))

    def case_refs(self) -> list[CaseRef]:
        """Each case the part carries: one access record each."""
        return unique(CaseRef(self.municipality, case.case_id) for case in self.cases)


class Part(BaseModel, Generic[V]):
    """One service's part of a registerutdrag: the service that holds it and, per case, what it holds."""

    service: str
    municipality: str
    cases: list[V]

    @classmethod
    def of(cls, holdings: Holdings[Any]) -> Self:
        return cls(**cls.fields_of(holdings))

    @classmethod
    def fields_of(cls, holdings: Holdings[Any]) -> dict[str, Any]:
        """``service``, ``municipality`` and ``cases`` (each made by the case view's ``of``)."""
        make = cls.case_view().of
        cases = [make(case) for case in holdings.cases]
        return {"service": holdings.service, "municipality": holdings.municipality, "cases": cases}

    @classmethod
    def case_view(cls) -> Any:
        for model in cls.__mro__:
            args = getattr(model, "__pydantic_generic_metadata__", {}).get("args")
            if args:
                return args[0]
        raise TypeError(f"{cls.__name__} is not a Part of a case view")


def _present(found: Iterable[T | None]) -> list[T]:
    return [item for item in found if item is not None]
