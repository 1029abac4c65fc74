"""Verifying every chain against the latest checkpoint, a page at a time (ADR 0019).

Each chain is re-checked from its stored records (``chains.py``) and held against the
latest checkpoint that holds (``checkpoints.py``); per case, what is wrong:

* ``broken``: an entry edited, re-dated, reordered or missing (the first broken position),
  or an access log's records stored before chaining not those the checkpoint signed (ADR 0034);
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
    unchained_records_not_covered: int = 0  # on this page: signed before checkpoints covered them


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
        not_covered = 0
        for municipality, case_id, kind, _, chain_id, _ in chosen.items:
            now, result = self.chains.check(chain_id) if chain_id is not None else (None, None)
            named = ChainHead(kind, municipality, case_id, 0, "")
            held = _Held(named, now, signed.get(named.chain), standing.latest is not None)
            problems += _problems(held, result)
            not_covered += held.unchained_not_covered()
        summary = standing.latest.summary if standing.latest else None
        return AuditReport(
            len(chosen.items),
            problems,
            summary,
            standing.forged,
            standing.unfiled,
            chosen.next_key,
            not_covered,
        )


@dataclass(frozen=True)
class _Held:
    """A chain as named, as stored now, and as the latest checkpoint (if any) signed it."""

    named: ChainHead
    now: ChainHead | None
    signed: ChainHead | None
    checkpointed: bool

    def problem(self, kind: str, position: int | None, reason: str) -> ChainProblem:
        named = self.named
        return ChainProblem(named.municipality, named.case_id, named.kind, kind, position, reason)

    def unchained_stored(self) -> int:
        return (self.now.unchained_records or 0) if self.now is not None else 0

    def unchained_not_covered(self) -> int:
        """Records stored before chaining that no checkpoint vouches for: there is none yet, or the
        latest was signed before checkpoints covered them (a log it did not sign is a problem)."""
        covered = self.checkpointed if self.signed is None else self.signed.unchained_records is not None
        return 0 if covered else self.unchained_stored()

    def unchained_problem(self) -> ChainProblem | None:
        """Records stored before chaining (ADR 0034): the checkpoint signed how many there were and
        their running hash; a log it did not sign began after chaining did, and can hold none."""
        stored, signed = self.unchained_stored(), self.signed
        if signed is None:
            if not (self.checkpointed and stored):
                return None
            reason = (
                f"{stored} access record(s) stored before chaining in a log no checkpoint signed: "
                "the log began after chaining did, so inserted since"
            )
        elif self.now is None or not signed.unchained_differ(self.now):
            return None
        elif stored == signed.unchained_records:
            reason = "an access record stored before chaining differs from what the checkpoint signed: edited since"
        else:
            what = "inserted" if stored > (signed.unchained_records or 0) else "deleted"
            reason = (
                f"the checkpoint signed {signed.unchained_records} access record(s) stored before chaining, "
                f"{stored} are stored: {what} since"
            )
        return self.problem("broken", None, reason)


def _problems(held: _Held, result: Verification | None) -> list[ChainProblem]:
    if result is None:
        return [held.problem("missing", None, "no longer stored: deleted or moved since it was recorded")]
    if not result.ok:
        kind = "moved" if result.reason == MOVED else "broken"
        return [held.problem(kind, result.first_broken_position, result.reason or "")]
    problems = [unchained] if (unchained := held.unchained_problem()) else []
    signed = held.signed
    if signed is None or signed.length == 0:
        return problems
    if result.entries_checked < signed.length:
        reason = (
            f"the checkpoint signed {signed.length} entries, {result.entries_checked} are stored: tail cut"
        )
        return [*problems, held.problem("cut", result.entries_checked + 1, reason)]
    if result.hash_at(signed.length) != signed.head:
        reason = "entry differs from the signed checkpoint: the chain was re-hashed after an edit"
        return [*problems, held.problem("rewritten", signed.length, reason)]
    return problems
