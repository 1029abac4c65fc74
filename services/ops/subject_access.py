"""A registerutdrag (GDPR art. 15) gathered from every service (``natverk subject-access``, ADR 0018).

The child's personal identity number is read from a file and sent to referrals only, in a
request body; referrals answers with the child's cases of the registrar's municipality, and
every other service is asked about those cases.  The bundle is written as ``bundle.json`` and
``index.html`` into the directory named: neither it nor anything printed names the number.
"""

from __future__ import annotations

import json
import os
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from contracts.pin import is_valid_personal_identity_number
from services.kit.client_settings import ClientSettings
from services.kit.domain.case_protection import PROTECTED_HOUSING
from services.kit.subject_access import MAX_CASES, REGISTERUTDRAG
from services.ops.client import role_headers, service_url
from services.ops.subject_access_page import PROTECTED_MARK, render_page

PROTECTION_FLAGS = ("protected_identity", "protected_housing")
ASKED_BY_CASE = ("scheduling", "network_support", "collaboration", "case_store")
REPLACED_NUMBER = "replaced_number"  # referrals found the case by a number later records replaced
_WRITTEN_SHAPE = re.compile(r"^(\d{8})[-+]?(\d{4})$")


class SubjectAccessRefused(Exception):
    """The request cannot be made as given; the message never names the number."""


def read_pin(pin_file: Path) -> str:
    """The number in ``pin_file`` (YYYYMMDDNNNC, a '-' before the last four allowed)."""
    try:
        written = pin_file.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as error:
        raise SubjectAccessRefused(f"cannot read the pin file ({type(error).__name__})") from None
    shape = _WRITTEN_SHAPE.fullmatch(written)
    pin = "".join(shape.groups()) if shape else ""
    if not is_valid_personal_identity_number(pin):
        raise SubjectAccessRefused(
            "the pin file does not hold one valid personal identity number (YYYYMMDDNNNC)"
        )
    return pin


def registrar_headers(settings: ClientSettings, municipality: str) -> dict[str, str]:
    """``NATVERK_REGISTRAR_TOKEN`` (issued by the identity provider: its municipality is the scope),
    else a five-minute registrar token of ``municipality`` signed with the configured secret."""
    return role_headers(settings, "registrar", municipality, "NATVERK_REGISTRAR_TOKEN", REGISTERUTDRAG)


def gather(settings: ClientSettings, pin: str, headers: dict[str, str]) -> dict[str, Any]:
    """Every service's part: referrals' first (asked with the number), then the others' (by case);
    marked protected if any part says so."""
    referrals = _ask(settings, "referrals", {"pin": pin}, headers)
    case_ids = [case["case_id"] for case in referrals["cases"]]
    parts = {"referrals": referrals}
    for service in ASKED_BY_CASE:
        batches = [case_ids[i : i + MAX_CASES] for i in range(0, len(case_ids), MAX_CASES)] or [[]]
        answers = [_ask(settings, service, {"case_ids": batch}, headers) for batch in batches]
        parts[service] = {**answers[0], "cases": [case for answer in answers for case in answer["cases"]]}
    return bundle_of(referrals["municipality"], any(map(says_protected, parts.values())), case_ids, parts)


def says_protected(held: Any) -> bool:
    """Whether anything in a part says the child is protected: a protected identity or protected
    housing, on the part, a case, a referral or a placement.  Any one is enough: the services learn
    it from different records, at different times, and a bundle marked once too often is the safe
    error (ADR 0018 addendum)."""
    if isinstance(held, dict):
        said = any(held.get(flag) is True for flag in PROTECTION_FLAGS)
        return (
            said or held.get("placement_type") == PROTECTED_HOUSING or any(map(says_protected, held.values()))
        )
    if isinstance(held, list):
        return any(map(says_protected, held))
    return False


def bundle_of(
    municipality: str, protected: bool, case_ids: list[str], parts: dict[str, dict[str, Any]]
) -> dict[str, Any]:
    """The bundle: each part named by its service; a protected child's marked at the top and on each
    part; the cases to check before release (found only by a replaced number) listed."""
    marking = PROTECTED_MARK if protected else None
    return {
        "kind": REGISTERUTDRAG,
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "municipality": municipality,
        "protected_identity": protected,
        "marking": marking,
        "case_ids": case_ids,
        "check_before_release": to_check(parts.get("referrals", {})),
        "parts": {
            service: {**part, "service": service, "marking": marking} for service, part in parts.items()
        },
    }


def to_check(referrals: dict[str, Any]) -> list[str]:
    """The cases referrals found only by a number their later records replaced: every part's data
    of them may be another child's (a mistaken number corrected), or this child's (a correction
    gone wrong).  The registrar decides; nothing here names the other number."""
    return [case["case_id"] for case in referrals.get("cases", []) if case.get("found_by") == REPLACED_NUMBER]


def check_out(out: Path, pin: str) -> list[Path]:
    """Where the bundle goes, before anything is asked: a directory that names no number and
    holds no bundle yet."""
    if pin in str(out.resolve()):
        raise SubjectAccessRefused("the output directory must not name the personal identity number")
    written = [out / "bundle.json", out / "index.html"]
    if any(path.exists() for path in written):
        raise SubjectAccessRefused(f"{out} already holds a bundle: choose another directory")
    return written


def write_bundle(bundle: dict[str, Any], out: Path, pin: str) -> list[Path]:
    """``bundle.json`` and ``index.html`` in ``out`` (made if missing; readable by its owner only)."""
    written = check_out(out, pin)
    out.mkdir(mode=0o700, parents=True, exist_ok=True)
    contents = [json.dumps(bundle, indent=2, ensure_ascii=False) + "\n", render_page(bundle)]
    for path, text in zip(written, contents, strict=True):
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            file.write(text)
    return written


def _ask(settings: ClientSettings, service: str, body: dict[str, Any], headers: dict[str, str]) -> Any:
    response = httpx.post(
        f"{service_url(settings, service)}/api/v1/subject-access", json=body, headers=headers, timeout=120
    )
    response.raise_for_status()
    return response.json()
