"""Who caused a stored event, and why: stamped by the kit on every event it stores.

The stamp travels inside the stored event's state under one attribute name,
``attribution``, which the library's replay ignores (it passes an event's
attributes to the aggregate's methods only by their parameter names).  Use
cases and aggregates never set it: the kit's command path chooses it once for
the whole unit of work (ARCHITECTURE §2.1).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from services.kit.record_ids import stamp_record_key

ATTRIBUTE = "attribution"
ACTOR_MAX = 200
REASON_MAX = 200


@dataclass(frozen=True)
class Attribution:
    """``actor``: a JWT ``sub``, ``system:<service>``, or an inbound CloudEvent ``source``."""

    actor: str
    reason: str | None = None

    @classmethod
    def system(cls, service: str, reason: str | None = None) -> Attribution:
        return cls(f"system:{service}", reason)

    def stamp(self, domain_event: Any) -> None:
        """Attach to a new event (events are frozen dataclasses; the stamp is set once).

        The event's record key is set here too: this is the one place every event the kit
        stores passes before it is stored (``services.kit.record_ids``).
        """
        state = vars(domain_event)
        if ATTRIBUTE not in state:
            state[ATTRIBUTE] = {"actor": self.actor[:ACTOR_MAX], "reason": (self.reason or "")[:REASON_MAX]}
        stamp_record_key(domain_event)

    @classmethod
    def of(cls, domain_event: Any, default_actor: str) -> Attribution:
        """The stamp of a stored event; older events without one name their ``actor`` field, if any."""
        stamp = vars(domain_event).get(ATTRIBUTE)
        if isinstance(stamp, dict) and stamp.get("actor"):
            return cls(str(stamp["actor"]), str(stamp.get("reason") or "") or None)
        legacy_actor = vars(domain_event).get("actor")
        return cls(legacy_actor if isinstance(legacy_actor, str) and legacy_actor else default_actor)
