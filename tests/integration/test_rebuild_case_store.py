"""Rebuilding the case store from its topics into a fresh store gives the same timelines."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from contracts.topics import PLACEMENTS
from services.case_store.app import create_app
from services.kit.settings import ServiceSettings
from services.ops import rebuild_case_store
from tests.support.apps import eventually, serving
from tests.support.broker import produce
from tests.support.events import encode, placement_started

pytestmark = pytest.mark.integration


async def test_a_rebuilt_case_store_has_every_timeline_and_verifies(
    settings: ServiceSettings, tmp_path: Path
) -> None:
    tag = uuid.uuid4().hex[:6]
    # Every case id twice, in Uppsala and in Västerås: two cases each (ADR 0016).
    cases = [(municipality, f"R{n}-{tag}") for n in range(10) for municipality in ("0380", "1980")]
    app = create_app(settings)
    async with serving(app):
        for municipality, case_id in cases:
            await produce(
                settings.kafka_bootstrap,
                PLACEMENTS,
                [encode(placement_started(case_id, f"P-{case_id}", municipality=municipality))],
                key=case_id.encode(),
            )
        await eventually(lambda: len(app.state.runtime.app.cases()) == len(cases))
        live = sorted(app.state.runtime.app.cases())
    rebuilt = await rebuild_case_store(
        settings.model_copy(update={"data_dir": tmp_path / "rebuilt", "database_url": None})
    )
    assert rebuilt["timelines"] == len(live) == len(cases)
    assert rebuilt["broken"] == 0 and rebuilt["records"] >= len(cases)
