"""network_support's command routes: how to call each in its world, and a different request.

The world (``command_path_world._network_support``) has, for case C-W1 of 0380: the support
plan of referral R-W1 with action 1; members 1 (a possible network home who consented to a
network placement) and 2 (responsible in safety-plan rule 1); a safety plan with statement 1;
an open home-return process; and placement P-W1 with its inquiry.  Case C-W2's home-return
process has finished, so another may be opened.
"""

from __future__ import annotations

from collections.abc import Callable

from tests.security.command_path_call import CASE, ON, PLACEMENT, REFERRALS, Call, Table, ids_of
from tests.security.command_path_world import ACTION, MEMBER, RULE, World

NS = "network_support"
MEMBERS = f"{CASE}/network-map/members"
Named = Callable[[World], dict[str, str]]


def _support_plan(plan: str, of: Named) -> Table:
    """A support plan's commands, at its address ``plan`` (by case or by referral)."""
    return {
        (NS, "POST", f"{plan}/goals"): lambda w: Call(of(w), {"goal": "Home"}, {"goal": "School"}),
        (NS, "POST", f"{plan}/actions"): lambda w: Call(
            of(w), ACTION, {**ACTION, "owner_role": "case_worker"}
        ),
        (NS, "POST", f"{plan}/actions/{{action_id}}/complete"): lambda w: Call(
            {**of(w), **ids_of(w, "action_id")}
        ),
    }


def _network_map() -> Table:
    case = lambda w: ids_of(w, "case_id")  # noqa: E731
    member = lambda w: ids_of(w, "case_id", "member_id")  # noqa: E731
    change = {"relation": "aunt", "roles": ["support_person"], "contact_consent": True}
    return {
        (NS, "POST", MEMBERS): lambda w: Call(case(w), MEMBER, {**MEMBER, "relation": "uncle"}),
        (NS, "PUT", f"{MEMBERS}/{{member_id}}"): lambda w: Call(
            member(w), change, {**change, "contact_consent": False}
        ),
        (NS, "DELETE", f"{MEMBERS}/{{member_id}}"): lambda w: Call(member(w)),  # named by no rule
        (NS, "POST", f"{MEMBERS}/{{member_id}}/consents"): lambda w: Call(
            member(w), {"scope": "contact", **ON}, {"scope": "sharing_information", **ON}
        ),
        (NS, "POST", f"{MEMBERS}/{{member_id}}/consents/{{scope}}/withdrawal"): lambda w: Call(
            ids_of(w, "case_id", "member_id", "scope"), {"on": "2026-11-06"}, {"on": "2026-11-07"}
        ),
    }


def _safety_plan() -> Table:
    case = lambda w: ids_of(w, "case_id")  # noqa: E731
    statement = {"statement": "Another danger", "safety_goal": "Safer", "scale": 4, "on": "2026-11-05"}
    rule = {"text": "Aunt picks up", "responsible_member_ids": [1]}
    return {
        (NS, "POST", f"{CASE}/safety-plan"): lambda w: Call(case(w)),
        (NS, "POST", f"{CASE}/safety-plan/danger-statements"): lambda w: Call(
            case(w), statement, {**statement, "scale": 5}
        ),
        (NS, "POST", f"{CASE}/safety-plan/scales"): lambda w: Call(
            case(w), {"statement_id": 1, "value": 5, **ON}, {"statement_id": 1, "value": 6, **ON}
        ),
        (NS, "POST", f"{CASE}/safety-plan/rules"): lambda w: Call(
            case(w), rule, {**rule, "text": "Aunt calls"}
        ),
        (NS, "PUT", f"{CASE}/safety-plan/rules/{{rule_id}}"): lambda w: Call(  # member 2 stays responsible
            ids_of(w, "case_id", "rule_id"), {**RULE, "text": "Uncle calls"}, rule
        ),
        (NS, "POST", f"{CASE}/safety-plan/revisions"): lambda w: Call(case(w), ON, {"on": "2026-11-06"}),
        (NS, "POST", f"{CASE}/safety-plan/follow-ups"): lambda w: Call(case(w), ON, {"on": "2026-11-06"}),
        (NS, "POST", f"{CASE}/safety-plan/conclude"): lambda w: Call(
            case(w), {"reason": "safety_goals_met", **ON}, {"reason": "case_closed", **ON}
        ),
    }


def _placements() -> Table:
    placement = lambda w: ids_of(w, "placement_id")  # noqa: E731
    session = {"on": "2026-11-05", "mode": "phone", "parent": "mother"}
    return {
        (NS, "POST", f"{PLACEMENT}/inquiry/candidates"): lambda w: Call(placement(w)),
        (NS, "POST", f"{PLACEMENT}/inquiry/outcome"): lambda w: Call(
            placement(w),
            {"outcome": "declined", "reason": "the family said no"},
            {"outcome": "not_suitable", "reason": "too far"},
        ),
        (NS, "POST", f"{PLACEMENT}/parent-support/offers"): lambda w: Call(
            placement(w), ON, {"on": "2026-11-06"}
        ),
        (NS, "POST", f"{PLACEMENT}/parent-support/sessions"): lambda w: Call(
            placement(w), session, {**session, "mode": "in_person"}
        ),
        (NS, "POST", f"{PLACEMENT}/school-start"): lambda w: Call(placement(w), ON, {"on": "2026-11-06"}),
        (NS, "POST", f"{PLACEMENT}/examinations"): lambda w: Call(
            placement(w), {"kind": "health", **ON}, {"kind": "dental", **ON}
        ),
    }


def _home_returns() -> Table:
    later = {"on": "2026-11-25"}  # after C-W1's process began and C-W2's finished: phases go forward in time
    return {
        (NS, "POST", f"{CASE}/home-return"): lambda w: Call(
            ids_of(w, "case_id"), {"phase": "trial", **later}, {"phase": "broken_off", **later}
        ),
        (NS, "POST", f"{CASE}/home-returns"): lambda w: Call(
            {"case_id": w.ids["returned_case"]},
            {"phase": "preparation", **later},
            {"phase": "trial", **later},
        ),
    }


def network_support() -> Table:
    by_case: Named = lambda w: ids_of(w, "case_id")  # noqa: E731
    by_referral: Named = lambda w: ids_of(w, "referral_id")  # noqa: E731
    return {
        **_support_plan(f"{CASE}/support-plan", by_case),
        **_support_plan(f"{REFERRALS}/support-plan", by_referral),
        **_network_map(),
        **_safety_plan(),
        **_placements(),
        **_home_returns(),
    }
