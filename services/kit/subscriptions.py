"""What a service consumes: typed subscriptions per topic, and what the kit derives from a record.

A handler gets the record's validated ``InboundEvent[Model]`` and makes one application
call (STYLE §4); the kit stores what it saved in one transaction with the record's
tracking position (``tracking_for``) and attribution (``attribution_for``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from eventsourcing.persistence import Tracking

from contracts.common import ContractModel
from contracts.registry import EVENT_TYPES
from services.kit.attribution import Attribution
from services.kit.inbound import InboundEvent
from services.kit.record_ids import is_later_record
from services.kit.trust import INTERNAL_SOURCE_PREFIX, is_relayed

# A handler translates one validated event into one application call (STYLE §4); the kit
# stores what it saved in one transaction with the record's tracking position.
Handler = Callable[[InboundEvent[Any]], None]
Model = TypeVar("Model", bound=ContractModel)


@dataclass(frozen=True)
class Subscription:
    event_type: str
    handler: Handler


def on(model: type[Model], handler: Callable[[InboundEvent[Model]], None]) -> Subscription:
    """Handle the one event type whose contract is ``model``; the handler gets it typed."""
    event_types = [name for name, registered in EVENT_TYPES.items() if registered is model]
    if len(event_types) != 1:
        raise ValueError(f"{model.__name__} is the contract of {len(event_types)} event types, not one")
    return Subscription(event_types[0], handler)


def attribution_for(event: InboundEvent[Any], service: str) -> Attribution:
    """Who caused what a record's handler stores: the validated source, or this service for relayed events."""
    source, event_type = event.envelope.source, event.envelope.type
    if source.startswith(INTERNAL_SOURCE_PREFIX):
        return Attribution.system(service, f"{event_type} from {source.removeprefix(INTERNAL_SOURCE_PREFIX)}")
    return Attribution(source, event_type)


EPOCH_SHIFT = 40  # notification ids stay below 2**40; epochs count broker losses


def tracking_for(event: InboundEvent[Any], partition: int, topic: str) -> Tracking | None:
    """The record's position in its source's publication: (relay epoch, notification id) as one number.

    After the broker lost records, the relay publishes some new records before it
    notices, then republishes everything in a new epoch.  A consumer that lagged
    would have tracked those new records' ids and skipped the republished older
    ones for good; ordering by epoch first makes every republished record new.
    """
    if not is_relayed(topic, event.envelope):
        return None  # positions count only where that relay writes (services.kit.trust)
    if is_later_record(event.envelope.id):
        # One stored event may publish several records on its topic (a booking and its missed
        # deadline), all at its position.  Tracked, a later one fetched in another batch than the
        # first would look already applied and be dropped; it is deduplicated by its id instead.
        return None
    sequence = event.envelope.extension("sequence")
    if sequence is None or not str(sequence).isdigit() or int(sequence) >= 1 << EPOCH_SHIFT:
        return None
    epoch = event.envelope.extension("epoch")
    epoch_number = int(epoch) if epoch is not None and str(epoch).isdigit() else 0
    return Tracking(f"{event.envelope.source}/{partition}", (epoch_number << EPOCH_SHIFT) | int(sequence))


@dataclass
class ConsumerSpec:
    topic: str
    subscriptions: list[Subscription]
    dead_letters: bool = True  # False: another service owns this topic's DLQ; just skip bad records
    # Records from outside: a ReceivedEvent marker per (source, id) makes a repeat a no-op.  Off only
    # where the handler itself is keyed by (source, id) (the case store's timeline entries).
    dedupe_by_event_id: bool = True

    @property
    def handlers(self) -> dict[str, Handler]:
        return {subscription.event_type: subscription.handler for subscription in self.subscriptions}
