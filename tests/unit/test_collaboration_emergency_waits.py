"""What a case's placement records said of its waits in an emergency home (ADR 0022), in memory."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from services.collaboration.domain.emergency_waits import CHANGE, END, START, EmergencyWaits

AT = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)


def waits() -> EmergencyWaits:
    return EmergencyWaits(municipality="0380", case_id="0380-C-1")


def test_a_start_never_a_jourhem_is_not_remembered() -> None:
    case = waits()
    assert not case.note(START, "P-1", "hvb", AT)
    assert case.placements == {} and case.waiting_in is None


def test_a_change_or_end_before_its_start_is_remembered_so_the_late_start_says_nothing() -> None:
    case = waits()
    assert case.note(END, "P-1", "jourhem", AT) and case.note(CHANGE, "P-2", "familjehem", AT)
    assert not case.note(START, "P-1", "jourhem", AT - timedelta(days=9))
    assert not case.note(START, "P-2", "jourhem", AT - timedelta(days=9))
    assert case.waiting_in is None and case.emergencies == set()


def test_a_jourhem_is_a_wait_until_a_lasting_record_of_it() -> None:
    case = waits()
    assert case.note(START, "P-1", "jourhem", AT) and case.waiting_in == "P-1"
    assert case.note(CHANGE, "P-1", "familjehem", AT + timedelta(days=1)) and case.waiting_in is None


def test_a_re_sent_start_and_an_earlier_change_say_nothing_new() -> None:
    case = waits()
    case.note(START, "P-1", "jourhem", AT)
    case.note(CHANGE, "P-1", "familjehem", AT + timedelta(days=5))
    assert not case.note(START, "P-1", "jourhem", AT)
    assert not case.note(CHANGE, "P-1", "jourhem", AT + timedelta(days=1))
    assert case.waiting_in is None


def test_an_end_is_final() -> None:
    case = waits()
    case.note(START, "P-1", "jourhem", AT)
    assert case.note(END, "P-1", "jourhem", AT + timedelta(days=1))
    assert not case.note(CHANGE, "P-1", "jourhem", AT + timedelta(days=2)) and case.waiting_in is None


def test_the_latest_wait_is_the_one_the_child_is_in() -> None:
    case = waits()
    case.note(START, "P-1", "jourhem", AT)
    case.note(START, "P-2", "jourhem", AT + timedelta(days=1))
    assert case.waiting_in == "P-2"


def test_one_case_s_waits_are_never_another_municipality_s() -> None:
    assert EmergencyWaits.id_for("0380", "C-1") != EmergencyWaits.id_for("1980", "C-1")
