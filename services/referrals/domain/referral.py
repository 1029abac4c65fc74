"""A referral (remiss) to the Network Centre or the safety team.  Lifecycle: received → accepted or
declined → closed; the sender may revoke one received or accepted.  Closed and revoked are final
(a declined one is closed once followed up).  Protection only turns on."""

from __future__ import annotations

from datetime import date
from uuid import UUID, uuid4

from eventsourcing.domain import Aggregate, event

from services.kit.domain.ids import stable_id

TARGETS = ("network_centre", "safety_team")
CHILD_STATUSES = ("placed", "placement_near")
OPEN = ("received", "accepted")  # revocable, and still taking placements and case workers
UNASSIGNED = "unassigned"  # the case worker of a referral made at placement from a record naming none


class ReferralError(Exception):
    """A rule of the referral lifecycle was broken."""


class TransitionNotAllowed(ReferralError):
    """The referral's status does not allow this command."""


class ReasonRequired(ReferralError):
    """Declining needs a reason."""


class Referral(Aggregate):
    class Received(Aggregate.Created):
        case_id: str
        municipality: str
        target: str
        child_pin: str
        protected_identity: bool
        child_status: str
        case_worker_id: str
        reason: str
        origin: str
        placement_id: str | None
        referred_by: str  # the sub of who sent it ("" when made at placement, or stored before)
        respond_within: int | None = None  # working days to answer, as set then (None: stored before)

    # Who did it is the kit's stamp on every stored event (events stored before it
    # carry an ``actor`` field instead, which replay ignores).
    class Accepted(Aggregate.Event): ...

    class Declined(Aggregate.Event):
        reason: str
        # The case worker is to follow it up (worklist); False if stored before 2026-12-04 (ADR 0025)
        follow_up_asked: bool = False

    class Closed(Aggregate.Event): ...

    class Revoked(Aggregate.Event): ...

    class CaseWorkerAssigned(Aggregate.Event):
        case_worker_id: str

    class ResponseOverdue(Aggregate.Event):
        """Not accepted or declined by ``due``: noted once by the sweep until 2026-12-05; since then
        a ``MissedDeadline`` (``referral_response``), so the sweep never writes to a referral staff
        are answering.  Stored ones are replayed and published as they were (ADR 0025)."""

        due: date

    class ChildPlaced(Aggregate.Event):
        """The child of this open referral was placed (another placement than the one it came from)."""

        placement_id: str
        # Whether the child's identity is protected, as the referral knows it after this placement
        # (it never goes back); False in events stored before 2026-12-04.
        protected_identity: bool = False

    class MarkedProtected(Aggregate.Event):
        """A placement record of its case or child said, after it was made, that the child is
        protected (identity or housing).  Unpublished: the others read the placement records."""

    @staticmethod
    def id_for_placement(municipality: str, placement_id: str) -> UUID:
        """One referral per placement, however often its start is delivered."""
        return stable_id("referral", "placement", municipality, placement_id)

    @classmethod
    def create_id(cls, municipality: str, placement_id: str | None = None, **_: object) -> UUID:
        return cls.id_for_placement(municipality, placement_id) if placement_id else uuid4()

    @event(Received)
    def __init__(
        self,
        case_id: str,
        municipality: str,
        target: str,
        child_pin: str,
        protected_identity: bool,
        child_status: str,
        case_worker_id: str,
        reason: str,
        origin: str,
        placement_id: str | None,
        referred_by: str = "",
        respond_within: int | None = None,
    ) -> None:
        self.case_id, self.municipality, self.target = case_id, municipality, target
        self.child_pin, self.protected_identity = child_pin, protected_identity
        self.child_status, self.case_worker_id, self.reason = child_status, case_worker_id, reason
        self.origin, self.placement_id, self.referred_by = origin, placement_id, referred_by
        self.respond_within = respond_within
        self.status = "received"
        self.decline_reason: str | None = None
        self.response_overdue: date | None = None  # the due date noted on the referral (before 2026-12-05)
        self.placements_recorded: list[str] = []  # placements started while it was open

    def accept(self) -> None:
        self._require_status("accept", "received")
        self._accepted()

    def decline(self, reason: str) -> None:
        self._require_status("decline", "received")
        if not reason.strip():
            raise ReasonRequired("a declined referral needs a reason")
        self._declined(reason.strip(), follow_up_asked=True)

    def close(self) -> None:
        """An accepted referral whose work is done, or a declined one followed up."""
        self._require_status("close", "accepted", "declined")
        self._closed()

    def revoke(self) -> None:
        self._require_status("revoke", *OPEN)
        self._revoked()

    def record_placement(self, placement_id: str, protected_identity: bool = False) -> None:
        """The child was placed while this referral is open: it is about a placed child now, and one
        the case system says is protected is so from now on, whatever the referral said (the case
        system decides it).  The placement it came from, or one already recorded, changes nothing."""
        self._require_status("record a placement on", *OPEN)
        if placement_id != self.placement_id and placement_id not in self.placements_recorded:
            self._child_placed(placement_id, self.protected_identity or protected_identity)

    def mark_protected(self) -> None:
        """The child is protected: so is the referral from now on, whatever its status (one way)."""
        if not self.protected_identity:
            self._marked_protected()

    def assign_case_worker(self, case_worker_id: str) -> None:
        """Make ``case_worker_id`` responsible while the referral is open; the one already
        responsible again changes nothing."""
        self._require_status("assign a case worker to", *OPEN)
        if case_worker_id != self.case_worker_id:
            self._case_worker_assigned(case_worker_id)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN

    def _require_status(self, command: str, *allowed: str) -> None:
        if self.status not in allowed:
            raise TransitionNotAllowed(f"cannot {command} a referral that is {self.status}")

    @event(Accepted)
    def _accepted(self) -> None:
        self.status = "accepted"

    @event(Declined)
    def _declined(self, reason: str, follow_up_asked: bool = False) -> None:
        self.status = "declined"
        self.decline_reason = reason

    @event(Closed)
    def _closed(self) -> None:
        self.status = "closed"

    @event(Revoked)
    def _revoked(self) -> None:
        self.status = "revoked"

    @event(CaseWorkerAssigned)
    def _case_worker_assigned(self, case_worker_id: str) -> None:
        self.case_worker_id = case_worker_id

    @event(ChildPlaced)
    def _child_placed(self, placement_id: str, protected_identity: bool = False) -> None:
        self.child_status = "placed"
        self.placements_recorded.append(placement_id)
        self.protected_identity = self.protected_identity or protected_identity

    @event(MarkedProtected)
    def _marked_protected(self) -> None:
        self.protected_identity = True

    @event(ResponseOverdue)
    def _response_overdue(self, due: date) -> None:
        self.response_overdue = due
