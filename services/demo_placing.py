"""The demo's placement events, as Uppsala's case system publishes them on ``ext.placements.v1``."""

from __future__ import annotations

import asyncio
import json
import uuid

from aiokafka import AIOKafkaProducer

from contracts.topics import PLACEMENTS
from services.demo_context import Demo
from services.demo_homes import Homes, free_places
from services.demo_placements import CASE_WORKER, background_placements, placement_event
from services.demo_story import Story


async def _send(bootstrap: str, records: list[tuple[str, bytes]]) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, enable_idempotence=False)
    await producer.start()
    try:
        for key, value in records:
            await producer.send_and_wait(PLACEMENTS, value, key=key.encode())
    finally:
        await producer.stop()


def place_the_child(demo: Demo, story: Story, homes: Homes | None) -> None:
    """The demo child's placement (twice, as at-least-once delivery may, and a malformed record),
    and the autumn's other placements around it."""
    story.chapter("A child is placed")
    event = json.dumps(placement_event(demo.case_id, family_home_id=homes.emergency if homes else None))
    records = [
        (demo.case_id, value) for value in (event.encode(), event.encode(), b"{this is not a CloudEvent")
    ]
    tag = uuid.uuid4().hex[:6]
    records += [(key, json.dumps(other).encode()) for key, other in background_placements(tag)]
    asyncio.run(_send(demo.settings.kafka_bootstrap, records))
    story.say(
        f"Uppsala's case system reports case {demo.case_id}: an 11-year-old placed in the emergency home "
        f"(jourhem, SoL, district Centrum) with a change of school; responsible case worker {CASE_WORKER}."
    )
    story.say(
        "The report arrives twice, and a malformed record with it: the services keep the report once and"
    )
    story.say("set the malformed record aside on the dead-letter topic (`natverk dlq list`).")


def move_the_child(demo: Demo, story: Story, homes: Homes) -> None:
    """The child moves to the partner's home: a change naming it by the pool id Uppsala knows."""
    assert homes.partner_pool_id is not None
    partner = homes.partner_pool_id
    change = placement_event(
        demo.case_id,
        placement_type="familjehem",
        school_change=False,
        family_home_id=partner,
        kind="changed",
        occurred="2026-12-01",
    )
    asyncio.run(_send(demo.settings.kafka_bootstrap, [(demo.case_id, json.dumps(change).encode())]))
    story.chapter("The child moves")
    story.say("Uppsala's case system reports a placement change on 2026-12-01: from the emergency home to")
    story.say("the Västerås family home (familjehem), named by the pool id Uppsala knows.")
    moved = demo.eventually(
        lambda: (2, free_places(demo, partner)) if free_places(demo, homes.emergency_pool_id) == 2 else None
    )
    if moved is None:
        story.say("The pool had not followed the change within 20 seconds.")
        return
    story.say(
        f"The emergency home's place is free again ({moved[0]} free); the Västerås home is taken ({moved[1]} free)."
    )
