"""Ops reads of dead-lettered records, logged in the cases' access logs (``natverk dlq show``).

A dead letter is read from the broker, not from a service, so no service's read of it is logged.
Before ``natverk dlq show`` prints one, it names here the cases the record names; the kit's
command path stores one access record per case (who: the ops token's ``sub``; why: its
``X-Access-Purpose``; what: this route) before answering, and 503 if it cannot, so the CLI
prints nothing.  Here, because the case store holds every case's access log (ADR 0004 addendum).
The answer says only how many cases were logged: nothing of them is repeated.
"""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from contracts.common import CaseId, Municipality
from services.kit.auth import Caller
from services.kit.cases import CaseRef, unique
from services.kit.commands import Kit
from services.kit.store import ServiceApplication

OPS = ("ops",)
MAX_CASES = 100  # a page of dead letters names about as many; the CLI asks again for more

router = APIRouter(prefix="/ops/dead-letter-reads", tags=["operations"])


class NamedCase(BaseModel):
    model_config = ConfigDict(extra="forbid")

    municipality: Municipality
    case_id: CaseId


class DeadLetterReads(BaseModel):
    """The cases named by the dead letters about to be shown."""

    model_config = ConfigDict(extra="forbid")

    cases: list[NamedCase] = Field(
        min_length=1, max_length=MAX_CASES, description=f"at most {MAX_CASES}; ask again for more"
    )


@dataclass(frozen=True)
class ReadCases:
    refs: tuple[CaseRef, ...]

    def case_refs(self) -> list[CaseRef]:
        return unique(self.refs)


class ReadsLogged(BaseModel):
    cases_logged: int

    @classmethod
    def of(cls, read: ReadCases) -> ReadsLogged:
        return cls(cases_logged=len(read.case_refs()))


def dead_letters_read(_: ServiceApplication, __: Caller, reads: DeadLetterReads) -> ReadCases:
    return ReadCases(tuple(CaseRef(case.municipality, case.case_id) for case in reads.cases))


@router.post("", response_model=ReadsLogged)
def log_dead_letter_reads(reads: DeadLetterReads, kit: Kit) -> ReadsLogged:
    """Log that the caller is reading dead letters of these cases (before it shows them)."""
    return kit.query(dead_letters_read, reads, view=ReadsLogged, roles=OPS)
