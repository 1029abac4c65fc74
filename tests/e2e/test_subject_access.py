"""A registerutdrag (GDPR art. 15, ADR 0018) of the demo child, from the stack as processes.

``natverk demo`` places the demo child and, around it, three other children (one of them in the
same municipality); ``natverk subject-access`` then gathers the demo child's bundle.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from services.demo_placements import OTHER_CHILDREN, demo_pin
from services.stack import Stack
from tests.e2e.test_ops_cli import natverk
from tests.support.apps import eventually
from tests.support.tokens import bearer

pytestmark = pytest.mark.e2e
SERVICES = {"referrals", "scheduling", "network_support", "collaboration", "case_store"}
HOLDS = {  # what each service's part must hold about the demo case
    "referrals": lambda case: len(case["referrals"]) >= 2,  # the placement's and the safety team's
    "scheduling": lambda case: bool(case["meetings"]),
    "network_support": lambda case: bool(case["placements"]) and case["safety_plan"] is not None,
    "collaboration": lambda case: bool(case["residences"]),
    "case_store": lambda case: bool(case["timeline"]) and bool(case["access_log"]),
}


@pytest.fixture(scope="module")
def demo_case(stack: Stack) -> str:
    """The case of the demo child that ``natverk demo`` placed (once for this module)."""
    demo = natverk(stack, "demo", "--json")
    assert demo.returncode == 0, demo.stderr
    return str(json.loads(demo.stdout)["case_id"])


def subject_access(stack: Stack, out: Path, *extra: str) -> tuple[dict[str, Any], str]:
    pin_file = out.parent / f"{out.name}.pin"
    pin_file.write_text(demo_pin() + "\n")
    result = natverk(stack, "subject-access", "--pin-file", str(pin_file), "--out", str(out), *extra)
    assert result.returncode == 0, result.stderr
    assert demo_pin() not in result.stdout + result.stderr
    return json.loads((out / "bundle.json").read_text()), (out / "index.html").read_text()


async def test_the_demo_childs_registerutdrag_holds_each_services_part_and_nothing_of_another_child(
    stack: Stack, demo_case: str, tmp_path: Path
) -> None:
    case_id = demo_case
    bundle, page = subject_access(stack, tmp_path / "utdrag")
    assert set(bundle["parts"]) == SERVICES and bundle["protected_identity"] is False
    for service, part in bundle["parts"].items():
        assert part["service"] == service and f"Held by {service}" in page
        cases = {case["case_id"]: case for case in part["cases"]}
        assert case_id in cases and HOLDS[service](cases[case_id]), (service, part)
        assert all(other.startswith("0380-DEMO-") for other in cases), f"{service} holds another child's case"
    text = json.dumps(bundle) + page
    assert demo_pin() not in text and not any(pin in text for pin in OTHER_CHILDREN.values())
    assert "-HR-" not in text  # the other child of the same municipality, placed in the same run


async def test_every_read_of_a_registerutdrag_reaches_the_cases_access_log_with_its_purpose(
    stack: Stack, demo_case: str, tmp_path: Path
) -> None:
    subject_access(stack, tmp_path / "utdrag")

    async def logged_by_every_service() -> set[str] | None:
        records = await access_log(stack, demo_case)
        services = {r["service"] for r in records if r["purpose"] == "registerutdrag"}
        return services if services == SERVICES else None

    await eventually(logged_by_every_service, timeout=20, interval=0.5)


def test_another_municipalitys_registrar_gets_nothing_of_the_demo_child(
    stack: Stack, demo_case: str, tmp_path: Path
) -> None:
    bundle, _ = subject_access(stack, tmp_path / "utdrag", "--municipality", "1980")
    assert bundle["case_ids"] == [] and bundle["municipality"] == "1980"
    assert all(part["cases"] == [] for part in bundle["parts"].values())


async def access_log(stack: Stack, case_id: str) -> list[dict[str, Any]]:
    """Every record of the case's access log, as its auditor reads it, page by page."""
    records: list[dict[str, Any]] = []
    params: dict[str, Any] = {"limit": 200}
    async with httpx.AsyncClient(timeout=10) as client:
        while True:
            response = await client.get(
                f"{stack.url('case_store')}/api/v1/cases/{case_id}/access-log",
                params=params,
                headers=bearer("0380", ("auditor",)),
            )
            page = response.json()
            records += page["items"]
            if not page["next_cursor"]:
                return records
            params["cursor"] = page["next_cursor"]
