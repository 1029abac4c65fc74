"""The meetings index reads what can fill a week from the current one on, not the whole history."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from services.scheduling.application import SchedulingApplication
from services.scheduling.domain.meeting import Meeting
from services.scheduling.domain.slot_finder import week_of
from services.scheduling.read_models import MeetingRow

NOW = datetime(2026, 11, 23, 8, 0)  # a Monday
HOUR = timedelta(hours=1)


def scheduling(folder: Path | None = None) -> SchedulingApplication:
    """In memory, or in a SQLite store in ``folder`` that outlives the app."""
    sqlite = None
    if folder is not None:
        sqlite = {"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": str(folder / "s.sqlite")}
    app = SchedulingApplication(env=sqlite)
    app.clock = lambda: NOW
    app.seed_default_roster()
    return app


def meeting(case_id: str, start: datetime, municipality: str = "0380") -> Meeting:
    return Meeting(
        municipality, case_id, "network_meeting", start, start + HOUR, ("a",), (), None, None, None
    )


def held(case_id: str, start: datetime) -> Meeting:
    done = meeting(case_id, start)
    done.record_attendance(("a",), "held")
    return done


def test_convening_a_staff_meeting_reads_no_meeting_held_in_a_week_gone_by(monkeypatch) -> None:
    app = scheduling()
    app.save(*(held(f"past-{n}", NOW - timedelta(days=7 + n)) for n in range(30)))
    asked: list[str] = []
    fills = MeetingRow.fills_weeks_from
    monkeypatch.setattr(
        MeetingRow, "fills_weeks_from", lambda row, week: asked.append(row.case_id) or fills(row, week)
    )
    app.convene_staff_meeting("r-1", "network_centre", "0380-1", "0380", "placed", "unassigned", NOW)
    assert len(app._open_meetings("0380")) == 1
    assert not [case_id for case_id in asked if case_id.startswith("past-")]


def test_the_meetings_filling_weeks_from_now_are_those_of_the_whole_history_also_after_a_restart(
    tmp_path: Path,
) -> None:
    app = scheduling(tmp_path)
    moved_back, moved_on, called_off = (
        meeting("moved-back", NOW + timedelta(days=8)),
        meeting("moved-on", NOW - timedelta(days=9)),
        meeting("called-off", NOW + timedelta(days=2)),
    )
    moved_back.reschedule(NOW - timedelta(days=10), NOW - timedelta(days=10) + HOUR)
    moved_back.record_attendance(("a",), "held")  # held in a week gone by: fills nothing now
    moved_on.reschedule(NOW + timedelta(days=15), NOW + timedelta(days=15) + HOUR)
    called_off.cancel("no longer needed")
    app.save(
        held("held-before", NOW - timedelta(days=3)),
        held("held-this-week", NOW + timedelta(days=1)),
        meeting("open-before", NOW - timedelta(days=20)),  # never marked held: still counts
        meeting("upcoming", NOW + timedelta(days=30)),
        meeting("elsewhere", NOW + timedelta(days=1), municipality="1980"),
        moved_back,
        moved_on,
        called_off,
    )
    expected = ["open-before", "held-this-week", "moved-on", "upcoming"]
    assert [row.case_id for row in app._meetings.filling_weeks_from("0380", week_of(NOW))] == expected
    assert expected == [
        row.case_id for row in app._meeting_rows("0380") if row.fills_weeks_from(week_of(NOW))
    ]
    app.close()
    restarted = scheduling(tmp_path)
    assert [row.case_id for row in restarted._meetings.filling_weeks_from("0380", week_of(NOW))] == expected
    assert [row.case_id for row in restarted._open_meetings("0380")] == [
        "open-before",
        "moved-on",
        "upcoming",
    ]
    restarted.close()
