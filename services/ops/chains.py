"""The chain report as ``natverk verify`` prints it: each broken case as municipality/case id."""

from __future__ import annotations

from typing import Any


def case_label(broken: dict[str, Any]) -> str:
    """``municipality/case id`` (ADR 0016); a case store from before it names the case id alone."""
    municipality = broken.get("municipality")
    return f"{municipality}/{broken['case_id']}" if municipality else str(broken["case_id"])


def describe_chain_report(report: dict[str, Any]) -> list[str]:
    lines = [
        f"BROKEN {case_label(broken)}: first broken link at position "
        f"{broken['first_broken_position']}: {broken['reason']}"
        for broken in report["broken"]
    ]
    lines.append(f"{report['timelines_checked']} timeline(s) checked, {len(report['broken'])} broken")
    return lines
