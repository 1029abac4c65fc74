"""The filters a worklist route takes, ``role`` among them one of the roles that hold the
service's duties (ADR 0025 addendum "a role filter names a role that holds duties").

A role asks for what it answers for: the duties it is responsible for, and those of the roles it
leads (the coordinator leads the Network Centre and the safety team, and decides on their
referrals).  Each service says which roles those are in one ``DutyRoles``; a role that holds none
of them (an auditor's, a misspelt one) is refused with 422 naming ``query.role`` and the roles that
do (the enum of the parameter: never the value), because an empty list would read as "nothing to
do".  The parameter's OpenAPI enum tells a client the same before it asks.

No ``from __future__ import annotations`` here: the dependency's parameter types are built from
the service's roles at run time, and FastAPI reads them from the function as they were evaluated.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from fastapi import Depends, Query

from contracts.common import Day, Identifier
from services.kit.worklist import WorklistFilter


@dataclass(frozen=True)
class DutyRoles:
    """Each role a duty of the service may name as responsible, with the roles that also answer
    for it (those that lead it; naming the role itself there is allowed)."""

    answering: Mapping[str, frozenset[str]]

    @classmethod
    def of(cls, answering: Mapping[str, Iterable[str]]) -> "DutyRoles":
        return cls({role: frozenset(also) for role, also in answering.items()})

    @property
    def names(self) -> tuple[str, ...]:
        """Every role that holds a duty here, sorted: the values ``role`` may take."""
        return tuple(sorted(set(self.answering).union(*self.answering.values())))

    def answered_by(self, role: str) -> frozenset[str]:
        """The responsible roles whose duties ``role`` answers for: its own and those it leads."""
        return frozenset(r for r, also in self.answering.items() if role == r or role in also)


def worklist_filters(duty_roles: DutyRoles) -> Any:
    """The annotated dependency a service's worklist route takes (``wanted: Filters``)."""
    role_description = (
        "only the duties this role answers for: its own and those of the roles it leads; "
        "a role that holds no duty here is refused (422)"
    )
    Role = Literal[duty_roles.names]  # type: ignore[valid-type]  # the service's closed set

    def filters(
        assignee: Annotated[Identifier | None, Query(description="only this person's (a staff id)")] = None,
        role: Annotated[Role | None, Query(description=role_description)] = None,  # type: ignore[valid-type]
        due_before: Annotated[Day | None, Query(description="only those due before this day")] = None,
        overdue: Annotated[
            bool | None, Query(description="true: only overdue ones; false: none of them")
        ] = None,
    ) -> WorklistFilter:
        roles = None if role is None else duty_roles.answered_by(role)
        return WorklistFilter(assignee, roles, due_before, overdue)

    return Annotated[WorklistFilter, Depends(filters)]
