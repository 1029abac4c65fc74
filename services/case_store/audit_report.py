"""Verifying every chain against the latest checkpoint, a page at a time (ADR 0019).

Each chain is re-checked from its stored records (``chains.py``) and held against the
latest checkpoint that holds (``checkpoints.py``); per case, what is wrong:

* ``broken``: an entry edited, re-dated, reordered or missing (the first broken position);
* ``moved``: a chain stored under another case's id (moved, or its opening edited);
* ``cut``: fewer entries than the checkpoint signed (its tail cut off);
* ``rewritten``: the entry the checkpoint signed as head has another hash now (re-hashed);
* ``missing``: a chain the checkpoint signed is no longer stored (deleted or moved away).

A page covers ``limit`` chains, those stored and those the checkpoint signed, by
(municipality, case id, kind).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from services.case_store.audit import CaseAudit
from services.case_store.checkpoints import Forgery, UnfiledCheckpoint
from services.case_store.domain.checkpoint import ChainHead, CheckpointSummary
from services.case_store.domain.verification import MOVED, Verification
from services.kit.auth import Caller
from services.kit.pages import PageRequest

SEES_EVERY_MUNICIPALITY = "ops"


@dataclass(frozen=True)
class ChainProblem:
    municipality: str
    case_id: str
    chain: str
    problem: str
    first_broken_position: int | None
    reason: str


@dataclass(frozen=True)
class AuditReport:
    chains_checked: int
    problems: list[ChainProblem]
    checkpoint: CheckpointSummary | None
    forged_checkpoints: list[Forgery]
    unfiled_checkpoints: list[UnfiledCheckpoint]
    next_key: Any = None


class CaseVerification(CaseAudit):
    def audit_report(self, caller: Caller, page: PageRequest) -> AuditReport:
        sees_all = caller.has_any_role(SEES_EVERY_MUNICIPALITY)
        standing = self.checkpoint_standing()
        signed = {head.chain: head for head in standing.latest.heads} if standing.latest else {}
        stored = self.chains.heads()
        known = {head.chain for _, head in stored}
        candidates = [
            (*head.chain[1:], head.kind, str(chain_id), chain_id, head) for chain_id, head in stored
        ]
        candidates += [
            (*chain[1:], chain[0], "", None, head) for chain, head in signed.items() if chain not in known
        ]
        visible = sorted(
            (c for c in candidates if sees_all or c[0] == caller.municipality), key=lambda c: c[:4]
        )
        chosen = page.select(visible, key=lambda c: c[:4])
        problems: list[ChainProblem] = []
        for municipality, case_id, kind, _, chain_id, _ in chosen.items:
            _, result = self.chains.check(chain_id) if chain_id is not None else (None, None)
            named = ChainHead(kind, municipality, case_id, 0, "")
            problems += _problems(named, result, signed.get(named.chain))
        summary = standing.latest.summary if standing.latest else None
        return AuditReport(
            len(chosen.items), problems, summary, standing.forged, standing.unfiled, chosen.next_key
        )


def _problems(chain: ChainHead, result: Verification | None, signed: ChainHead | None) -> list[ChainProblem]:
    def problem(kind: str, position: int | None, reason: str) -> ChainProblem:
        return ChainProblem(chain.municipality, chain.case_id, chain.kind, kind, position, reason)

    if result is None:
        return [problem("missing", None, "no longer stored: deleted or moved since it was recorded")]
    if not result.ok:
        kind = "moved" if result.reason == MOVED else "broken"
        return [problem(kind, result.first_broken_position, result.reason or "")]
    if signed is None or signed.length == 0:
        return []
    if result.entries_checked < signed.length:
        reason = (
            f"the checkpoint signed {signed.length} entries, {result.entries_checked} are stored: tail cut"
        )
        return [problem("cut", result.entries_checked + 1, reason)]
    if result.hash_at(signed.length) != signed.head:
        reason = "entry differs from the signed checkpoint: the chain was re-hashed after an edit"
        return [problem("rewritten", signed.length, reason)]
    return []
