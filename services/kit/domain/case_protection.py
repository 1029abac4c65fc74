"""What the placement records of one case have said of the child's protection (ADR 0032): a
protected identity, protected housing (skyddat boende).  Once said, kept: a later record that does
not say it undoes nothing (the safe error).  Keyed by municipality, never across: the same case id
in another municipality is another case, and what one knows is not told to another.  Each service
that must not let a protected child slip (network_support, collaboration) keeps its own in its own
store, from the placement records it reads."""

from __future__ import annotations

from uuid import UUID

from eventsourcing.domain import Aggregate, event

from services.kit.domain.ids import stable_id

# The placement type whose location, even the municipality, is never revealed (DOMAIN).
PROTECTED_HOUSING = "skyddat_boende"


class CaseProtection(Aggregate):
    class Noted(Aggregate.Created):
        municipality: str
        case_id: str
        identity: bool
        housing: bool

    class Widened(Aggregate.Event):
        """A later record said more than those before it: the protection as it now stands."""

        identity: bool
        housing: bool

    @staticmethod
    def id_for(municipality: str, case_id: str) -> UUID:
        return stable_id("case-protection", municipality, case_id)

    @classmethod
    def create_id(cls, municipality: str, case_id: str, **_: object) -> UUID:
        return cls.id_for(municipality, case_id)

    @event(Noted)
    def __init__(self, municipality: str, case_id: str, identity: bool, housing: bool) -> None:
        self.municipality, self.case_id = municipality, case_id
        self.identity, self.housing = identity, housing

    def note(self, identity: bool, housing: bool) -> None:
        """What one more record says: only what it adds is kept."""
        identity, housing = self.identity or identity, self.housing or housing
        if (identity, housing) != (self.identity, self.housing):
            self._widened(identity, housing)

    @event(Widened)
    def _widened(self, identity: bool, housing: bool) -> None:
        self.identity, self.housing = identity, housing


def protection_said(
    found: CaseProtection | None, municipality: str, case_id: str, identity: bool, placement_type: str
) -> CaseProtection | None:
    """The case's protection as one more placement record leaves it: ``found`` widened, or a new one
    (to save); None when the record says neither a protected identity nor protected housing, since
    a record that says nothing of it undoes nothing."""
    housing = placement_type == PROTECTED_HOUSING
    if not (identity or housing):
        return None
    if found is None:
        return CaseProtection(municipality=municipality, case_id=case_id, identity=identity, housing=housing)
    found.note(identity, housing)
    return found
