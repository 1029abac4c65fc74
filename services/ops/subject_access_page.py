"""A registerutdrag as one readable, printable HTML page (``index.html`` beside ``bundle.json``).

Every value is HTML-escaped.  Each service's part is a section of its own, starting a new
printed page; a protected-identity child's bundle carries the mark in the title, at the top,
in every section and, when printed, at the head of every page.  A case found only by a number
its latest record does not name carries a note to check it before release, at the top and
wherever a part holds it.
"""

from __future__ import annotations

from html import escape
from typing import Any

from contracts.common import MUNICIPALITY_NAMES

PROTECTED_MARK = "SKYDDAD IDENTITET / protected identity"
REVIEW_NOTE = "The latest record of this case names another child: check before release."
STYLE = """
body { font-family: system-ui, sans-serif; margin: 2rem; color: #111; line-height: 1.4; }
.mark { border: 3px solid #a00; color: #a00; background: #fff; font-weight: bold; padding: .5rem 1rem; }
.print-mark { display: none; }
.review { border-left: 4px solid #a00; padding: .25rem .75rem; font-weight: 600; }
dl { display: grid; grid-template-columns: max-content auto; gap: .15rem 1rem; margin: .25rem 0; }
dt { font-weight: 600; }
dd { margin: 0; }
ol { padding-left: 1.25rem; }
section { margin-top: 2rem; }
@media print {
  section { break-before: page; }
  .print-mark { display: block; position: fixed; top: 0; left: 0; right: 0; }
  body { margin-top: 3rem; }
}
"""


def render_page(bundle: dict[str, Any]) -> str:
    """The whole page of ``bundle`` (as ``natverk subject-access`` writes it)."""
    marking = bundle.get("marking")
    municipality = bundle["municipality"]
    title = f"Registerutdrag, {MUNICIPALITY_NAMES.get(municipality, municipality)}"
    head = f"{escape(marking)}: {escape(title)}" if marking else escape(title)
    to_check = bundle.get("check_before_release") or []
    sections = [_section(part, marking, to_check) for part in bundle["parts"].values()]
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="sv">',
            f'<head><meta charset="utf-8"><title>{head}</title><style>{STYLE}</style></head>',
            "<body>",
            _mark(marking, "print-mark") if marking else "",
            "<header>",
            _mark(marking) if marking else "",
            f"<h1>{escape(title)}</h1>",
            _fields(
                {
                    "generated at": bundle["generated_at"],
                    "municipality": municipality,
                    "cases": bundle["case_ids"] or "none",
                }
            ),
            *(
                _mark(f"Check case {c} before release: its latest record names another child.", "review")
                for c in to_check
            ),
            "</header>",
            "<main>",
            *sections,
            "</main>",
            "</body>",
            "</html>",
        ]
    )


def _section(part: dict[str, Any], marking: str | None, to_check: list[str]) -> str:
    service = escape(part["service"])
    held = [
        f"<h3>Case {escape(case['case_id'])}</h3>"
        + (_mark(REVIEW_NOTE, "review") if case["case_id"] in to_check else "")
        + _value(_without_id(case))
        for case in part["cases"]
    ]
    return "\n".join(
        [
            f'<section aria-labelledby="part-{service}">',
            _mark(marking) if marking else "",
            f'<h2 id="part-{service}">Held by {service}</h2>',
            *(held or ["<p>Nothing about these cases.</p>"]),
            "</section>",
        ]
    )


def _mark(note: str, kind: str = "mark") -> str:
    return f'<p class="{kind}" role="note">{escape(note)}</p>'


def _without_id(case: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in case.items() if key != "case_id"}


def _value(value: Any) -> str:
    if isinstance(value, dict):
        return _fields(value) if value else "none"
    if isinstance(value, list):
        if not value:
            return "none"
        if all(not isinstance(item, dict | list) for item in value):
            return escape(", ".join(_text(item) for item in value))
        return "<ol>" + "".join(f"<li>{_value(item)}</li>" for item in value) + "</ol>"
    return escape(_text(value))


def _fields(fields: dict[str, Any]) -> str:
    rows = "".join(
        f"<dt>{escape(str(key).replace('_', ' '))}</dt><dd>{_value(v)}</dd>" for key, v in fields.items()
    )
    return f"<dl>{rows}</dl>"


def _text(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)
