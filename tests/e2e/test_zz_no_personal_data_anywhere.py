"""After the other end-to-end tests (this module runs last): no personal identity number in any
service's logs, any /metrics page, or any partner topic."""

from __future__ import annotations

import re
import uuid

import httpx
import pytest

from contracts.pin import luhn_check_digit
from contracts.topics import PARTNER_TOPICS, PLACEMENTS
from services.stack import Stack
from tests.support.apps import eventually
from tests.support.broker import produce, read_topic
from tests.support.events import encode, placement_started, valid_pin
from tests.support.tokens import bearer

pytestmark = pytest.mark.e2e
# 12 digits (YYYYMMDDNNNN), or 10 (YYMMDDNNNN), optionally with - or + before the last four; not
# the fraction of a decimal number (a /metrics sample such as a histogram's sum, 0.399828626003,
# once passed the check digit by chance and failed the scan).
SHAPES = re.compile(r"(?<![\w-])(?<!\d\.)(\d{8}|\d{6})[-+]?(\d{4})(?![\w-])")


def personal_numbers(text: str) -> list[str]:
    found = []
    for head, tail in SHAPES.findall(text):
        digits = (head + tail)[-10:]
        if luhn_check_digit(digits[:9]) == int(digits[9]):
            found.append(head + tail)
    return found


def test_the_scan_finds_a_number_in_any_of_its_shapes_but_not_in_a_decimal_fraction() -> None:
    pin = valid_pin(99)
    shapes = [pin, f"{pin[:8]}-{pin[8:]}", pin[2:], f"{pin[2:8]}+{pin[8:]}", f'child="{pin}"', f"pin {pin}."]
    assert [personal_numbers(text) for text in shapes] == [[pin], [pin], [pin[2:]], [pin[2:]], [pin], [pin]]
    assert personal_numbers("natverk_seconds_sum 0.399828626003\nnatverk_seconds_sum 1.3998286260") == []


async def test_logs_metrics_and_partner_topics_carry_no_personal_identity_number(stack: Stack) -> None:
    # one more scenario with pins in play: a protected child placed in a shared home
    consultant = bearer("0380", ("family_home_consultant",))
    tag = uuid.uuid4().hex[:6]
    async with httpx.AsyncClient(timeout=5) as client:
        home = await client.post(
            f"{stack.url('collaboration')}/api/v1/family-homes",
            headers=consultant,
            json={
                "register_id": f"FH-{tag}",
                "kind": "recruited",
                "capacity": 2,
                "age_min": 0,
                "age_max": 17,
            },
        )
        await client.put(
            f"{stack.url('collaboration')}/api/v1/family-homes/{home.json()['home_id']}/sharing",
            headers=consultant,
            json={"shared_with": ["1980", "2180"]},
        )
        case_id = f"0380-PII-{tag}"
        event = placement_started(
            case_id, f"P-{tag}", pin=valid_pin(99), protected_identity=True, family_home_id=f"FH-{tag}"
        )
        await produce(stack.settings.kafka_bootstrap, PLACEMENTS, [encode(event)], key=case_id.encode())

        async def in_timeline():
            response = await client.get(
                f"{stack.url('case_store')}/api/v1/cases/{case_id}/timeline",
                headers=bearer("0380", ("auditor",)),
            )
            return response.status_code == 200 and len(response.json()["items"]) >= 2

        await eventually(in_timeline, timeout=20)
        metrics = [(await client.get(f"{stack.url(s)}/metrics")).text for s in stack.services]

    logs = {
        path.name: path.read_text(errors="replace")
        for path in stack.log_dir.glob("*.log")
        if path.name != "broker.log"
    }
    records = [r for topic in PARTNER_TOPICS for r in await read_topic(stack.settings.kafka_bootstrap, topic)]
    partner = "\n".join(
        r.value.decode(errors="replace") + " " + (r.key or b"").decode(errors="replace") for r in records
    )
    assert logs and partner, "nothing to scan"
    for name, text in logs.items():
        assert personal_numbers(text) == [], f"personal identity number in {name}"
    assert personal_numbers("\n".join(metrics)) == []
    assert personal_numbers(partner) == []
    assert case_id not in partner and f"FH-{tag}" not in partner
