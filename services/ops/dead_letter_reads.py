"""Which cases a dead letter names, and logging their read before ``natverk dlq show`` prints it.

A dead letter is read from the broker, where no service logs reads, so the CLI has the case store
log them (``POST /api/v1/ops/dead-letter-reads``, ADR 0004 addendum) with the token and purpose
every ops command uses (``ops_headers``).  A letter whose case cannot be told is not shown.
"""

from __future__ import annotations

import json
import re
from typing import Any

import httpx
from pydantic import TypeAdapter, ValidationError

from contracts.common import MUNICIPALITIES, CaseId
from services.kit.client_settings import ClientSettings
from services.ops.client import case_store_url
from services.ops.dead_letters import DeadLetter

MAX_CASES = 100  # the most one request may name (the case store's MAX_CASES)
_CASE_SYSTEM = re.compile(r"urn:se:kommun:(\d{4}):")
_CASE_ID: TypeAdapter[str] = TypeAdapter(CaseId)


def cases_named(letter: DeadLetter) -> list[tuple[str, str]]:
    """Every (municipality, case id) the record names: a case id from its key, ``subject`` or
    ``data.case_id``, with a municipality from ``data.municipality`` or a case system's ``source``.
    A record that disagrees with itself names each combination (logging one read too many is
    the safe error); one that names no case at all (not JSON, no municipality) names none."""
    event = _json_object(letter.value)
    data = _json_object(event.get("data"))
    source = _CASE_SYSTEM.match(str(event.get("source", "")))
    places = {data.get("municipality"), source.group(1) if source else None} & set(MUNICIPALITIES)
    ids = {i for i in (letter.key, event.get("subject"), data.get("case_id")) if _is_case_id(i)}
    return sorted((str(place), str(case_id)) for place in places for case_id in ids)


def log_reads(
    settings: ClientSettings, cases: list[tuple[str, str]], headers: dict[str, str], url: str | None = None
) -> None:
    """Have the case store log a read of each case as ``headers``' caller (``ops_headers``); raises,
    and nothing may be shown, if it cannot."""
    named = [{"municipality": place, "case_id": case_id} for place, case_id in sorted(set(cases))]
    for start in range(0, len(named), MAX_CASES):
        response = httpx.post(
            f"{url or case_store_url(settings)}/api/v1/ops/dead-letter-reads",
            json={"cases": named[start : start + MAX_CASES]},
            headers=headers,
            timeout=60,
        )
        response.raise_for_status()


def _json_object(value: Any) -> dict[str, Any]:
    if isinstance(value, bytes):
        try:
            value = json.loads(value)
        except ValueError:  # not JSON, or not UTF-8
            return {}
    return value if isinstance(value, dict) else {}


def _is_case_id(value: Any) -> bool:
    try:
        _CASE_ID.validate_python(value)
    except ValidationError:
        return False
    return True
