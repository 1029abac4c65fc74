"""The registerutdrag as ``natverk subject-access`` writes it: the number's file, the directory, the page."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from services.ops.subject_access import SubjectAccessRefused, bundle_of, check_out, read_pin, write_bundle
from services.ops.subject_access_page import PROTECTED_MARK, render_page
from tests.support.events import valid_pin

PIN = valid_pin(41)


def parts(summary: str = "referral received") -> dict[str, dict[str, Any]]:
    return {
        "referrals": {"service": "referrals", "municipality": "0380", "cases": [{"case_id": "0380-R1"}]},
        "case_store": {
            "service": "case_store",
            "municipality": "0380",
            "cases": [{"case_id": "0380-R1", "timeline": [{"position": 1, "summary": summary}]}],
        },
        "scheduling": {"service": "scheduling", "municipality": "0380", "cases": []},
    }


def test_the_pin_file_may_hold_the_number_with_a_hyphen_and_a_newline(tmp_path: Path) -> None:
    (tmp_path / "pin").write_text(f"{PIN[:8]}-{PIN[8:]}\n")
    assert read_pin(tmp_path / "pin") == PIN


def test_a_pin_file_without_a_valid_number_is_refused_without_naming_what_it_holds(tmp_path: Path) -> None:
    wrong = PIN[:-1] + str((int(PIN[-1]) + 1) % 10)
    for written in (wrong, PIN[2:], f"{PIN} {PIN}", ""):
        (tmp_path / "pin").write_text(written)
        with pytest.raises(SubjectAccessRefused) as refused:
            read_pin(tmp_path / "pin")
        assert wrong not in str(refused.value) and PIN[2:] not in str(refused.value)


def test_a_directory_that_names_the_number_or_holds_a_bundle_already_is_refused(tmp_path: Path) -> None:
    with pytest.raises(SubjectAccessRefused) as named:
        check_out(tmp_path / f"utdrag-{PIN}", PIN)
    assert PIN not in str(named.value)
    write_bundle(bundle_of("0380", False, ["0380-R1"], parts()), tmp_path / "out", PIN)
    with pytest.raises(SubjectAccessRefused):
        check_out(tmp_path / "out", PIN)


def test_the_bundle_is_written_as_json_and_html_readable_by_its_owner_only(tmp_path: Path) -> None:
    written = write_bundle(bundle_of("0380", False, ["0380-R1"], parts()), tmp_path / "out", PIN)
    assert [path.name for path in written] == ["bundle.json", "index.html"]
    assert {path.stat().st_mode & 0o777 for path in written} == {0o600}
    bundle = json.loads(written[0].read_text())
    assert {name: part["service"] for name, part in bundle["parts"].items()} == {
        "referrals": "referrals",
        "case_store": "case_store",
        "scheduling": "scheduling",
    }
    assert PIN not in written[0].read_text() + written[1].read_text()


def test_every_value_on_the_page_is_html_escaped() -> None:
    page = render_page(bundle_of("0380", False, ["0380-R1"], parts('<script>alert("x")</script> & co')))
    assert "<script>" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co" in page


def test_a_protected_childs_page_is_marked_in_its_title_at_its_top_and_in_every_part() -> None:
    bundle = bundle_of("0380", True, ["0380-R1"], parts())
    page = render_page(bundle)
    assert page.count(PROTECTED_MARK) == 2 + len(bundle["parts"]) + 1  # title, top, each part, print head
    assert f"<title>{PROTECTED_MARK}" in page
    for section in page.split("<section")[1:]:
        assert PROTECTED_MARK in section.split("</section>")[0]
    assert all(part["marking"] == PROTECTED_MARK for part in bundle["parts"].values())


def test_a_page_of_a_child_without_a_protected_identity_carries_no_mark() -> None:
    bundle = bundle_of("0380", False, ["0380-R1"], parts())
    assert PROTECTED_MARK not in render_page(bundle) and bundle["marking"] is None
