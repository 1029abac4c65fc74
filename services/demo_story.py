"""The demo's narration: chapters of plain sentences, and a case timeline as a person reads it.

``make demo`` is read by people trying the system for the first time, so it prints a story
(what happened, who was booked, what is due, what the reports say), not raw JSON; the timeline
as JSON is still there for machines (``natverk demo --json``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from services.kit.domain.swedish_time import LOCAL

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


@dataclass
class Story:
    lines: list[str] = field(default_factory=list)

    def chapter(self, title: str) -> None:
        if self.lines:
            self.lines.append("")
        self.lines += [title, "-" * len(title)]

    def say(self, text: str) -> None:
        self.lines.append(text)

    def point(self, text: str) -> None:
        self.lines.append(f"  - {text}")

    def table(self, header: list[str], rows: list[list[str]]) -> None:
        widths = [max(len(str(cell)) for cell in column) for column in zip(header, *rows, strict=True)]
        for row in (header, *rows):
            self.lines.append(
                "  " + "  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True))
            )

    def text(self) -> str:
        return "\n".join(self.lines)


def local_time(moment: str | datetime) -> str:
    """``Tue 2026-12-08 09:00`` in Swedish local time (a time without an offset already is one:
    scheduling's meeting times are wall-clock times)."""
    when = datetime.fromisoformat(moment) if isinstance(moment, str) else moment
    local = when.astimezone(LOCAL) if when.tzinfo else when
    return f"{WEEKDAYS[local.weekday()]} {local:%Y-%m-%d %H:%M}"


def tell_timeline(story: Story, timeline: dict[str, Any]) -> None:
    """One line per entry: when it happened, who did it, what it was; then that the chain holds."""
    story.chapter(f"The case's timeline in the case store ({timeline['municipality']}/{timeline['case_id']})")
    for entry in timeline["items"]:
        story.say(f"{entry['position']:>3}  {local_time(entry['occurred_at'])}  {entry['summary']}")
        story.say(f"     by {entry['actor']}, from {entry['source']}")
    story.say(
        f"Every entry is hash-chained to the one before it (head {timeline['items'][-1]['hash'][:16]}…)"
        if timeline["items"]
        else "The timeline is empty."
    )
