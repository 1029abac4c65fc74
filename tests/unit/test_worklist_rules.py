"""The due and overdue rules of the worklists (issue 16 item 3), in memory."""

from __future__ import annotations

from datetime import date

from services.kit.domain.working_days import add_working_days
from services.kit.pages import PageRequest
from services.kit.worklist import Duty, WorklistFilter, worklist
from services.kit.worklist_filters import DutyRoles
from services.network_support.domain.network_placement_inquiry import NetworkPlacementInquiry
from services.referrals.domain.missed_deadline import MissedDeadline
from services.referrals.domain.referral import Referral

FRIDAY = date(2026, 12, 4)
TUESDAY = date(2026, 12, 8)


def duty(due: date, role: str = "network_centre", municipality: str = "0380", key: str = "a") -> Duty:
    return Duty(municipality, "C-1", "referral_response", due, role, None, "/api/v1/referrals/a", key)


def referral() -> Referral:
    return Referral(
        case_id="C-1",
        municipality="0380",
        target="safety_team",
        child_pin="200001011234",
        protected_identity=False,
        child_status="placed",
        case_worker_id="cw-1",
        reason="worry",
        origin="manual",
        placement_id=None,
    )


def test_three_working_days_after_a_friday_skip_the_weekend() -> None:
    assert add_working_days(FRIDAY, 3) == date(2026, 12, 9)


def test_working_days_skip_the_christmas_holidays() -> None:
    assert add_working_days(date(2026, 12, 23), 3) == date(2026, 12, 30)


def test_a_duty_is_overdue_only_from_the_day_after_it_was_due() -> None:
    assert not duty(FRIDAY).is_overdue(FRIDAY)
    assert duty(FRIDAY).is_overdue(date(2026, 12, 5))


def test_a_filter_picks_by_role_due_before_and_overdue() -> None:
    today = date(2026, 12, 10)
    safety_team = frozenset({"safety_team"})
    assert WorklistFilter(roles=safety_team).picks(duty(FRIDAY, role="safety_team"), today)
    assert not WorklistFilter(roles=safety_team).picks(duty(FRIDAY), today)
    assert not WorklistFilter(due_before=FRIDAY).picks(duty(FRIDAY), today)
    assert WorklistFilter(overdue=True).picks(duty(FRIDAY), today)
    assert not WorklistFilter(overdue=False).picks(duty(FRIDAY), today)


def test_a_role_answers_for_its_own_duties_and_those_of_the_roles_it_leads() -> None:
    roles = DutyRoles.of(
        {"case_worker": (), "network_centre": {"coordinator"}, "safety_team": {"coordinator"}}
    )
    assert roles.names == ("case_worker", "coordinator", "network_centre", "safety_team")
    assert roles.answered_by("coordinator") == {"network_centre", "safety_team"}
    assert roles.answered_by("network_centre") == {"network_centre"}


def test_a_worklist_keeps_only_the_callers_municipality_earliest_due_first() -> None:
    duties = [duty(date(2026, 12, 9), key="b"), duty(FRIDAY, key="c"), duty(FRIDAY, municipality="2180")]
    listed = worklist(duties, "0380", WorklistFilter(), PageRequest(), FRIDAY)
    assert [d.key for d in listed.page.items] == ["c", "b"]


def test_a_referrals_missed_response_is_one_note_whatever_day_it_was_due() -> None:
    """The working days allowed are a setting: one changed between two sweeps moves the due day,
    never the note's id (a referral is answered once, so missed once)."""
    response = [MissedDeadline.id_for("referral_response", "0380", "r-1", due) for due in (FRIDAY, TUESDAY)]
    case_worker = [
        MissedDeadline.id_for("case_worker_assignment", "0380", "r-1", due) for due in (FRIDAY, TUESDAY)
    ]
    assert response[0] == response[1] and case_worker[0] != case_worker[1]


def test_a_response_noted_overdue_on_the_referral_itself_still_replays() -> None:
    """Stored by the sweep until its notes became ``MissedDeadline``s: read as it always was."""
    noted = referral()
    noted.trigger_event(Referral.ResponseOverdue, due=FRIDAY)
    assert (noted.status, noted.response_overdue) == ("received", FRIDAY)


def test_an_inquiry_without_an_outcome_is_noted_overdue_once_and_a_concluded_one_never() -> None:
    inquiry = NetworkPlacementInquiry(municipality="0380", case_id="C-1", placement_id="P-1")
    assert inquiry.note_outcome_overdue(FRIDAY, date(2026, 12, 5))
    assert not inquiry.note_outcome_overdue(FRIDAY, date(2026, 12, 6))
    concluded = NetworkPlacementInquiry(municipality="0380", case_id="C-1", placement_id="P-2")
    concluded.conclude("not_suitable", "no one")
    assert not concluded.note_outcome_overdue(FRIDAY, date(2026, 12, 31))
