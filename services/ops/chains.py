"""The audit report as ``natverk verify`` prints it: each problem by municipality/case id (ADR 0019)."""

from __future__ import annotations

from typing import Any


def case_label(problem: dict[str, Any]) -> str:
    """``municipality/case id`` (ADR 0016); a chain stored before it may name no municipality."""
    municipality = problem.get("municipality")
    return f"{municipality}/{problem['case_id']}" if municipality else str(problem["case_id"])


def _where(problem: dict[str, Any]) -> str:
    position = problem.get("first_broken_position")
    return "" if position is None else (" at its opening" if position == 0 else f" at position {position}")


def describe_chain_report(report: dict[str, Any]) -> list[str]:
    lines = [
        f"{problem['problem'].upper()} {case_label(problem)} {problem['chain']}{_where(problem)}: {problem['reason']}"
        for problem in report["problems"]
    ]
    lines += [
        f"FORGED checkpoint (line {forged['line']}, issued {forged.get('issued_at') or '?'}): {forged['reason']}"
        for forged in report["forged_checkpoints"]
    ]
    lines += [
        f"UNFILED checkpoint (issued {unfiled['issued_at']}): {unfiled['reason']}"
        for unfiled in report["unfiled_checkpoints"]
    ]
    checkpoint = report.get("checkpoint")
    lines.append(
        f"held against the checkpoint issued {checkpoint['issued_at']} ({checkpoint['chain_count']} chains, "
        f"root {checkpoint['merkle_root'][:16]}…)"
        if checkpoint
        else "no valid checkpoint yet: each chain checked only against itself"
    )
    lines.append(
        f"{report['chains_checked']} chain(s) checked, {len(report['problems'])} with a problem, "
        f"{len(report['forged_checkpoints'])} forged checkpoint(s)"
        + (f", {len(unfiled)} missing from the file" if (unfiled := report["unfiled_checkpoints"]) else "")
    )
    if not_covered := report.get("unchained_records_not_covered"):
        lines.append(
            f"{not_covered} access record(s) stored before chaining are not yet covered by a checkpoint "
            "(ADR 0034): the next one signed covers them"
        )
    return lines


def anything_wrong(report: dict[str, Any]) -> bool:
    return bool(report["problems"] or report["forged_checkpoints"] or report["unfiled_checkpoints"])
