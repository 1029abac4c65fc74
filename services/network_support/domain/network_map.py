"""The child's network: who they are to the child, what role they can take, consent to contact.

Names stay in this service's store; everything published uses member ids.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from typing import Literal, get_args
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from services.kit.domain.ids import stable_id
from services.network_support.domain.plan_limits import MAX_NETWORK_MEMBERS, NetworkMapFull, check_room

# The scopes a member can consent to (not published): the one list, commands use ConsentScope.
ConsentScope = Literal["contact", "sharing_information", "network_placement"]
CONSENT_SCOPES: tuple[ConsentScope, ...] = get_args(ConsentScope)
# A closed list: a free-text relation could carry a name into published events.  The same words as
# the contract's Relation (which commands use); the domain does not import contracts.
RELATIONS = (
    "mother",
    "father",
    "step_parent",
    "sibling",
    "grandparent",
    "aunt",
    "uncle",
    "cousin",
    "other_relative",
    "family_friend",
    "neighbour",
    "teacher",
    "coach",
    "other",
)


class NetworkMapError(Exception):
    """A rule of the network map was broken."""


class UnknownMember(NetworkMapError):
    """No such member on the map."""


class UnknownRelation(NetworkMapError):
    """The relation is not one of RELATIONS."""


class ConsentMissing(NetworkMapError):
    """A step that needs a member's consent of a scope was taken without it."""


class MemberNamedByRule(NetworkMapError):
    """A member responsible in a safety-plan rule stays until the rule is revised."""


REMOVE_FIRST = "members on a network map; remove one who no longer belongs to the child's network"


def _ids(ids: Collection[int]) -> str:
    return ", ".join(str(i) for i in sorted(ids))


def _check_relation(relation: str) -> None:
    if relation not in RELATIONS:
        raise UnknownRelation(f"relation must be one of {', '.join(RELATIONS)}")


class NetworkMap(Aggregate):
    class Started(Aggregate.Created):
        municipality: str
        case_id: str

    class MemberAdded(Aggregate.Event):
        member_id: int
        name: str
        relation: str
        roles: tuple[str, ...]
        contact_consent: bool

    class MemberChanged(Aggregate.Event):
        member_id: int
        relation: str
        roles: tuple[str, ...]
        contact_consent: bool

    class MemberRemoved(Aggregate.Event):
        member_id: int

    class ConsentRecorded(Aggregate.Event):
        member_id: int
        scope: str
        on: date

    class ConsentWithdrawn(Aggregate.Event):
        member_id: int
        scope: str
        on: date

    @staticmethod
    def id_for(municipality: str, case_id: str) -> UUID:
        return stable_id("network_support", "network-map", municipality, case_id)

    @classmethod
    def create_id(cls, municipality: str, case_id: str, **_: object) -> UUID:
        return cls.id_for(municipality, case_id)

    @event(Started)
    def __init__(self, municipality: str, case_id: str) -> None:
        self.municipality, self.case_id = municipality, case_id
        self.members: dict[int, dict[str, object]] = {}
        self._next_id = 1

    def add_member(self, name: str, relation: str, roles: tuple[str, ...], contact_consent: bool) -> int:
        _check_relation(relation)
        check_room(len(self.members), MAX_NETWORK_MEMBERS, NetworkMapFull, REMOVE_FIRST)
        member_id = self._next_id
        self._member_added(member_id, name, relation, tuple(roles), contact_consent)
        return member_id

    def change_member(
        self, member_id: int, relation: str, roles: tuple[str, ...], contact_consent: bool
    ) -> None:
        self._require(member_id)
        _check_relation(relation)
        self._member_changed(member_id, relation, tuple(roles), contact_consent)

    def remove_member(self, member_id: int, named_by_rules: Collection[int] = ()) -> None:
        """``named_by_rules``: the safety-plan rules that name the member as responsible."""
        self._require(member_id)
        if named_by_rules:
            raise MemberNamedByRule(
                f"the member is responsible in safety-plan rules {_ids(named_by_rules)}: revise them first"
            )
        self._member_removed(member_id)

    def record_consent(self, member_id: int, scope: str, on: date) -> None:
        """Who recorded it is the kit's attribution on the stored event."""
        self._require(member_id)
        self._consent_recorded(member_id, scope, on)

    def withdraw_consent(self, member_id: int, scope: str, on: date) -> None:
        self._require(member_id)
        if scope in self.consents_of(member_id):
            self._consent_withdrawn(member_id, scope, on)

    def consents_of(self, member_id: int) -> dict[str, date]:
        return self.members[member_id].setdefault("consents", {})  # type: ignore[return-value]

    def require_consent(self, member_ids: Collection[int], scope: str) -> None:
        """Refuse naming the members (by id, never by name) who have not consented to ``scope``."""
        missing = [m for m in member_ids if scope not in self.consents_of(m)]
        if missing:
            raise ConsentMissing(f"members {_ids(missing)} have no consent for {scope}")

    def candidates_for_network_home(self) -> list[int]:
        return [m for m, info in self.members.items() if "possible_network_home" in info["roles"]]

    def _require(self, member_id: int) -> None:
        if member_id not in self.members:
            raise UnknownMember("no such member on this network map")

    @event(MemberAdded)
    def _member_added(
        self, member_id: int, name: str, relation: str, roles: tuple[str, ...], contact_consent: bool
    ) -> None:
        self.members[member_id] = {
            "name": name,
            "relation": relation,
            "roles": tuple(roles),
            "contact_consent": contact_consent,
            "consents": {},
        }
        self._next_id = member_id + 1

    @event(MemberChanged)
    def _member_changed(
        self, member_id: int, relation: str, roles: tuple[str, ...], contact_consent: bool
    ) -> None:
        self.members[member_id].update(relation=relation, roles=tuple(roles), contact_consent=contact_consent)

    @event(MemberRemoved)
    def _member_removed(self, member_id: int) -> None:
        del self.members[member_id]

    @event(ConsentRecorded)
    def _consent_recorded(self, member_id: int, scope: str, on: date) -> None:
        self.consents_of(member_id)[scope] = on

    @event(ConsentWithdrawn)
    def _consent_withdrawn(self, member_id: int, scope: str, on: date) -> None:
        self.consents_of(member_id).pop(scope, None)
