"""The invariants (ARCHITECTURE §2), checked over the services' own HTTP APIs after healing.

Every ``ok`` command has exactly one effect in its service's store and, where it reaches a case
timeline, exactly one entry there; an ``unknown`` one at most one of each; a ``rejected`` one
none.  Beyond the ledger, every record the upstream services published for the case store
(timeline events and access records, whatever caused them) is there exactly once
(``publications.py``).  Then every case timeline's hash chain must verify
(``GET /api/v1/audit/verify``).  Lists and the chain check are paged: every page is read.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any

import httpx

from services.stack import Stack
from tests.chaos.commands import Command, bearer
from tests.chaos.publications import Publications

AUDITOR = bearer(("auditor",), "chaos-auditor")
OPS = bearer(("ops",), "chaos-ops")
RECEIVED = "se.natverk.referral.received.v1"
STARTED = "se.placement.started.v1"
BOOKED = "se.natverk.meeting.booked.v1"
SESSION = "Placement follow-up: parent support session"
Counts = dict[str, int]


class Observer:
    """One pass over the stores: each command's effects, each case's timeline read once."""

    def __init__(self, stack: Stack, client: httpx.AsyncClient) -> None:
        self.stack, self.client = stack, client
        self._limit = asyncio.Semaphore(8)

    async def get(self, service: str, path: str, headers: dict[str, str] = AUDITOR) -> Any:
        """The JSON answer, or None for 404; retried while the service is not answering."""
        for attempt in range(10):
            async with self._limit:
                try:
                    response = await self.client.get(self.stack.url(service) + path, headers=headers)
                except httpx.HTTPError:
                    response = None
            if response is not None and response.status_code in (200, 404):
                return response.json() if response.status_code == 200 else None
            await asyncio.sleep(0.5 * (attempt + 1))
        raise RuntimeError(f"{service} {path}: no answer to check with")

    async def pages(self, service: str, path: str, headers: dict[str, str] = AUDITOR) -> list[Any] | None:
        """Every page of a paged list or report (the most a page holds), or None for 404."""
        answers: list[Any] = []
        cursor = None
        while True:
            query = ("&" if "?" in path else "?") + "limit=200" + (f"&cursor={cursor}" if cursor else "")
            page = await self.get(service, path + query, headers)
            if page is None:
                return None
            answers.append(page)
            if not (cursor := page.get("next_cursor")):
                return answers

    async def items(self, service: str, path: str) -> list[Any]:
        """The items of every page of a paged list ([] for 404)."""
        return [item for page in await self.pages(service, path) or [] for item in page["items"]]

    async def effects(self, commands: list[Command]) -> list[Counts]:
        timelines = await _each({c.case_id for c in commands if c.case_id}, self._timeline)
        homes: list[Any] = []
        if any(c.kind == "home" for c in commands):
            homes = await self.items("collaboration", "/api/v1/family-homes")

        async def count(c: Command) -> Counts:
            entries = timelines.get(c.case_id, [])
            types = [e["event_type"] for e in entries]
            if c.kind in ("referral", "placement"):
                found = await self.items("referrals", f"/api/v1/referrals?case_id={c.case_id}")
                own = {"referrals": len(found), "received entries": types.count(RECEIVED)}
                return own | ({"placement entries": types.count(STARTED)} if c.kind == "placement" else {})
            if c.kind == "meeting":
                found = await self.items("scheduling", f"/api/v1/cases/{c.case_id}/calendar")
                booked = sum(m["kind"] == "network_meeting" for m in found)
                return {"meetings": booked, "booked entries": types.count(BOOKED)}
            if c.kind == "parent_support":
                placement = await self.get("network_support", f"/api/v1/placements/{c.ref}") or {}
                sessions = sum(e["summary"].startswith(SESSION) for e in entries)
                return {"sessions": placement.get("parent_support_sessions", 0), "session entries": sessions}
            return {"homes": sum(h.get("register_id") == c.ref for h in homes)}

        return list(await asyncio.gather(*(count(c) for c in commands)))

    async def _timeline(self, case_id: str) -> list[Any]:
        return await self.items("case_store", f"/api/v1/cases/{case_id}/timeline")


async def _each(keys: set[str], fetch: Callable[[str], Awaitable[Any]]) -> dict[str, Any]:
    ordered = sorted(keys)
    return dict(zip(ordered, await asyncio.gather(*(fetch(k) for k in ordered)), strict=True))


def _wrong(command: Command, counts: Counts) -> str | None:
    outcome, values = command.outcome, counts.values()
    if outcome == "ok" and any(v != 1 for v in values):
        problem = "not exactly one effect"
    elif outcome == "unknown" and any(v > 1 for v in values):
        problem = "more than one effect"
    elif outcome == "rejected" and any(v > 0 for v in values):
        problem = "rejected, yet it took effect"
    else:
        return None
    tried = ", ".join(f"{a.result}({a.detail[:40]})" for a in command.attempts)
    return (
        f"{outcome} {command.kind} {command.case_id or command.ref}: {problem} {counts}; "
        f"key {command.key}; attempts: {tried}"
    )


async def check(stack: Stack, ledger: list[Command], quiesce_timeout: float = 90) -> tuple[list[str], str]:
    """Wait until every ok command shows its effects and every published record is in the case
    store (or time runs out), then list every violation; also says how long the wait was, how many
    published records were judged and how many timelines the chain check covered."""
    publications = await asyncio.to_thread(Publications, stack.settings)
    try:
        async with httpx.AsyncClient(timeout=15) as client:
            observer = Observer(stack, client)
            started = time.monotonic()
            await asyncio.to_thread(publications.take_stock)  # judged: what was stored before the wait
            pending, waiting = [c for c in ledger if c.outcome == "ok"], True
            while waiting and time.monotonic() < started + quiesce_timeout:
                counts = await observer.effects(pending)
                pending = [c for c, n in zip(pending, counts, strict=True) if any(v != 1 for v in n.values())]
                waiting = bool(pending) or await asyncio.to_thread(publications.unrecorded) > 0
                if waiting:
                    await asyncio.sleep(1.0)
            quiesced = time.monotonic() - started
            await asyncio.sleep(2.0)  # late duplicates, if any, arrive before the count
            counts = await observer.effects(ledger)
            violations = [v for c, n in zip(ledger, counts, strict=True) if (v := _wrong(c, n))]
            published, judged = await asyncio.to_thread(publications.violations)
            violations += published
            chains = await observer.pages("case_store", "/api/v1/audit/verify", headers=OPS) or []
            violations += [f"broken chain {problem}" for page in chains for problem in page["problems"]]
    finally:
        await asyncio.to_thread(publications.close)
    checked = sum(page["chains_checked"] for page in chains)
    return (
        violations,
        f"quiesced in {quiesced:.0f}s; {judged}; {checked} chains (timelines, access logs) verified",
    )
