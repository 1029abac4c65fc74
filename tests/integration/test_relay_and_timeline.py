"""The relay (outbox) and the case store's tracking, on the real broker and both store backends."""

from __future__ import annotations

import json
import uuid

import pytest
from eventsourcing.domain import Aggregate
from eventsourcing.utils import get_topic

from contracts.topics import REFERRALS
from services.case_store.app import create_app as create_case_store
from services.kit import relay as relay_module
from services.kit import relay_positions
from services.kit.auth import Caller
from services.kit.relay_positions import EPOCH_NAME
from services.kit.settings import ServiceSettings
from services.referrals.app import build_runtime as build_referrals
from services.referrals.commands import NewReferral
from tests.support.apps import eventually, serving
from tests.support.broker import produce, read_topic
from tests.support.events import valid_pin
from tests.support.tokens import bearer

pytestmark = pytest.mark.integration


def _refer(runtime, case_id: str) -> str:
    referral = runtime.app.create_referral(
        Caller("cw-1", "0380", frozenset({"case_worker"})),
        NewReferral(
            case_id=case_id,
            target="safety_team",
            child={"pin": valid_pin(5), "protected_identity": False},
            child_status="placement_near",
            case_worker_id="cw-1",
            reason="concern",
        ),
    )
    return str(referral.id)


async def _published_referral_ids(bootstrap: str, case_prefix: str) -> list[str]:
    records = await read_topic(bootstrap, REFERRALS)
    ids = []
    for record in records:
        event = json.loads(record.value)
        if event["subject"].startswith(case_prefix) and event["type"] == "se.natverk.referral.received.v1":
            ids.append(event["data"]["referral_id"])
    return ids


async def test_the_relay_resumes_after_a_restart_and_loses_nothing(settings: ServiceSettings) -> None:
    prefix = f"R-{uuid.uuid4().hex[:6]}"
    first = build_referrals(settings.model_copy(update={"relay_batch_size": 5}))
    created = [_refer(first, f"{prefix}-{n}") for n in range(12)]
    await first.broker.start()
    await first.relay.publish_pending()  # one batch of five, then the process "dies"
    await first.broker.stop()
    first.app.close()

    second = build_referrals(settings)
    await second.start()
    try:
        await eventually(lambda: second.relay.position() == second.app.max_notification_id())
    finally:
        await second.stop()
    published = await _published_referral_ids(settings.kafka_bootstrap, prefix)
    assert sorted(set(published)) == sorted(created)
    assert len(published) == len(created)  # the recorded position kept the first batch from repeating


async def test_a_crash_between_publishing_and_recording_the_position_republishes_instead_of_losing(
    settings: ServiceSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    prefix = f"X-{uuid.uuid4().hex[:6]}"
    runtime = build_referrals(settings)
    created = [_refer(runtime, f"{prefix}-{n}") for n in range(3)]
    original_insert = relay_positions.insert_trackings
    failures = iter([True])

    def crash_once(recorder, trackings):
        # The first record of a batch's progress; not the new epoch a relay takes as it starts.
        records_progress = all(t.application_name != EPOCH_NAME for t in trackings)
        if records_progress and next(failures, False):
            raise ConnectionError("store went away after the broker acknowledged")
        return original_insert(recorder, trackings)

    monkeypatch.setattr(relay_positions, "insert_trackings", crash_once)
    await runtime.start()
    try:
        await eventually(lambda: runtime.relay.position() == runtime.app.max_notification_id())
    finally:
        await runtime.stop()
    published = await _published_referral_ids(settings.kafka_bootstrap, prefix)
    assert sorted(set(published)) == sorted(created)
    assert len(published) == 2 * len(created)  # duplicates, which consumers drop; no loss


@pytest.mark.one_backend
async def test_relayed_duplicates_reach_the_timeline_once(settings: ServiceSettings) -> None:
    case_id = f"T-{uuid.uuid4().hex[:8]}"
    referrals = build_referrals(settings)
    _refer(referrals, case_id)
    async with serving(create_case_store(settings)) as case_store:
        await referrals.start()
        await eventually(lambda: referrals.relay.position() == referrals.app.max_notification_id())
        await referrals.stop()
        relayed = [
            r.value
            for r in await read_topic(settings.kafka_bootstrap, REFERRALS)
            if json.loads(r.value)["subject"] == case_id
        ]
        await produce(settings.kafka_bootstrap, REFERRALS, relayed * 3, key=case_id.encode())
        marker = f"{case_id}-m"
        _refer(reborn := build_referrals(settings), marker)
        await reborn.start()
        headers = bearer("0380", ("auditor",))

        async def marker_arrived():
            return (
                await case_store.get(f"/api/v1/cases/{marker}/timeline", headers=headers)
            ).status_code == 200

        await eventually(marker_arrived)
        await reborn.stop()
        timeline = (await case_store.get(f"/api/v1/cases/{case_id}/timeline", headers=headers)).json()
        verified = (await case_store.get(f"/api/v1/cases/{case_id}/verify", headers=headers)).json()
    assert [e["event_type"] for e in timeline["items"]] == ["se.natverk.referral.received.v1"]
    assert verified["ok"] is True


@pytest.mark.one_backend
async def test_after_the_broker_forgets_everything_the_relay_republishes_and_the_timeline_is_complete(
    settings: ServiceSettings, broker
) -> None:
    prefix = f"B-{uuid.uuid4().hex[:6]}"
    referrals = build_referrals(settings)
    async with serving(create_case_store(settings)) as case_store:
        await referrals.start()
        before = [_refer(referrals, f"{prefix}-{n}") for n in range(3)]
        await eventually(lambda: referrals.relay.position() == referrals.app.max_notification_id())
        broker.restart()  # the local broker keeps nothing: topics, records and offsets are gone
        after = [_refer(referrals, f"{prefix}-late-{n}") for n in range(2)]
        headers = bearer("0380", ("auditor",))

        async def every_case_has_its_timeline() -> bool:
            for case in [f"{prefix}-{n}" for n in range(3)] + [f"{prefix}-late-{n}" for n in range(2)]:
                response = await case_store.get(f"/api/v1/cases/{case}/timeline", headers=headers)
                if response.status_code != 200 or len(response.json()["items"]) != 1:
                    return False
            return True

        await eventually(every_case_has_its_timeline, timeout=40)

        # The early cases' entries predate the loss, so the timeline alone does not show the
        # republishing: the emptied topic must get the early events again.
        async def every_referral_is_on_the_topic_again() -> bool:
            return set(before + after) <= set(await _published_referral_ids(settings.kafka_bootstrap, prefix))

        try:
            await eventually(every_referral_is_on_the_topic_again, timeout=40, interval=0.5)
        finally:
            await referrals.stop()


@pytest.mark.one_backend
async def test_a_consumer_behind_when_the_broker_lost_everything_skips_nothing_republished(
    settings: ServiceSettings, broker
) -> None:
    """The relay publishes its next batch into the empty broker before it sees the loss, then
    republishes everything.  A case store that had not read the early events, and reads the
    late batch before the republished log, must still get every event."""
    prefix = f"L-{uuid.uuid4().hex[:6]}"
    headers = bearer("0380", ("auditor",))
    referrals = build_referrals(settings)
    early = [f"{prefix}-a{n}" for n in range(12)]
    late = [f"{prefix}-b{n}" for n in range(12)]
    for case in early:
        _refer(referrals, case)
    await referrals.ensure_topics()
    await referrals.broker.start()
    try:
        await referrals.relay.publish_pending()
        assert referrals.relay.position() == referrals.app.max_notification_id()
        broker.restart()  # lost before the case store read any of the early events
        await referrals.ensure_topics()
        for case in late:
            _refer(referrals, case)

        async def published_late_batch() -> bool:
            try:
                return await referrals.relay.publish_pending() > 0
            except Exception:
                return False

        await eventually(published_late_batch, timeout=30, interval=0.5)
        assert referrals.relay.epoch == 1  # the late batch went out first, then the loss was seen

        async with serving(create_case_store(settings)) as case_store:

            async def missing(cases: list[str]) -> list[str]:
                absent = []
                for case in cases:
                    response = await case_store.get(f"/api/v1/cases/{case}/timeline", headers=headers)
                    if response.status_code != 200 or len(response.json()["items"]) != 1:
                        absent.append(case)
                return absent

            async def none_missing(cases: list[str]) -> bool:
                return not await missing(cases)

            await eventually(lambda: none_missing(late), timeout=40, interval=0.5)  # tracked: the late ids

            async def republished() -> bool:
                await referrals.relay.publish_pending()
                return referrals.relay.position() == referrals.app.max_notification_id()

            await eventually(republished, timeout=30)
            try:
                await eventually(lambda: none_missing(early), timeout=30, interval=0.5)
            except AssertionError:
                raise AssertionError(f"never reached the timeline: {await missing(early)}") from None
    finally:
        await referrals.broker.stop()
        referrals.app.close()


class KeptToItself(Aggregate):
    """An aggregate no publication table names: its events stay in the service."""


async def test_the_relay_neither_reads_nor_decodes_the_events_its_service_keeps_to_itself(
    settings: ServiceSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    prefix = f"K-{uuid.uuid4().hex[:6]}"
    runtime = build_referrals(settings)
    created = [_refer(runtime, f"{prefix}-{n}") for n in range(3)]
    runtime.app.save(*[KeptToItself() for _ in range(40)])
    decoded: list[str] = []
    original = relay_module.records_of

    def counting(app, table, notification, *rest):
        decoded.append(notification.topic)
        return original(app, table, notification, *rest)

    monkeypatch.setattr(relay_module, "records_of", counting)
    await runtime.broker.start()
    try:
        covered = await runtime.relay.publish_pending()
        assert runtime.relay.position() == runtime.app.max_notification_id()
        assert covered == runtime.app.max_notification_id()
    finally:
        await runtime.broker.stop()
        runtime.app.close()
    assert get_topic(KeptToItself.Created) not in decoded
    assert decoded  # the referrals themselves were read, and published:
    assert sorted(set(await _published_referral_ids(settings.kafka_bootstrap, prefix))) == sorted(created)


@pytest.mark.one_backend  # the relay's positions go through one function on both backends
async def test_the_relay_commits_no_position_for_each_batch_of_events_its_service_keeps_to_itself(
    settings: ServiceSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The case store publishes only checkpoints: a committed row after every ingest batch was the
    relay's largest cost there.  Covered in memory, recorded every ``PRIVATE_GAP`` or with the next
    publish, and after a restart read again without being published."""
    monkeypatch.setattr(relay_positions, "PRIVATE_GAP", 25, raising=False)
    recorded: list[int] = []  # the relay's committed positions, in order
    commit = relay_positions.insert_trackings

    def counted(recorder, trackings):
        recorded.extend(t.notification_id for t in trackings if t.application_name == "relay")
        commit(recorder, trackings)

    monkeypatch.setattr(relay_positions, "insert_trackings", counted)
    prefix = f"P-{uuid.uuid4().hex[:6]}"
    first = build_referrals(settings)  # nothing to publish: no broker needed
    try:
        tops = []
        for _ in range(3):
            first.app.save(*[KeptToItself() for _ in range(10)])
            await first.relay.publish_pending()
            tops.append(first.app.max_notification_id())
            assert first.relay.position() == tops[-1]
        [once] = recorded  # once past the gap, not after each batch
        assert once in tops and once >= 25
        first.app.save(KeptToItself())
        await first.relay.publish_pending()
        assert recorded == [once] and first.relay.position() == first.app.max_notification_id()
    finally:
        first.app.close()
    second = build_referrals(settings)
    created = _refer(second, f"{prefix}-1")
    await second.broker.start()
    try:
        # What was covered after ``once`` is read again; the referral alone is published.
        await second.relay.publish_pending()
        assert recorded[-1] == second.app.max_notification_id() == second.relay.position()
    finally:
        await second.broker.stop()
        second.app.close()
    assert await _published_referral_ids(settings.kafka_bootstrap, prefix) == [created]
