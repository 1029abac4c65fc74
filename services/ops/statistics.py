"""The placement statistics report as a table or CSV (``natverk stats``)."""

from __future__ import annotations

import csv
import io
import json
from typing import Any


def statistics_table(report: dict[str, Any]) -> list[list[str]]:
    """Rows like the Stockholm table: one per municipality, one column per placement type."""
    types = sorted({t for m in report["municipalities"] for t in m["by_type"]})
    header = [
        "municipality",
        "children",
        *types,
        "breakdowns",
        "re_placements",
        "home_returns",
        "kinship_share",
    ]
    rows = [header]
    for m in report["municipalities"]:
        share = m["kinship_share"]  # None: no children; "*": suppressed (a token without ops)
        share = "" if share is None else share if isinstance(share, str) else f"{share:.1%}"
        rows.append(
            [
                m["municipality"],
                str(m["children"]),
                *(str(m["by_type"].get(t, 0)) for t in types),
                str(m["breakdowns"]),
                str(m["re_placements"]),
                str(m["home_returns"]),
                share,
            ]
        )
    return rows


def render_statistics(report: dict[str, Any], fmt: str) -> str:
    if fmt == "json":
        return json.dumps(report, indent=2, ensure_ascii=False)
    rows = statistics_table(report)
    if fmt == "csv":
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows(rows)
        return out.getvalue()
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    title = f"Children in 24-hour care, {report['period_from']} to {report['period_to']}"
    lines = [title, ""] + [
        "  ".join(cell.rjust(width) for cell, width in zip(row, widths, strict=False)) for row in rows
    ]
    return "\n".join(lines)
