"""Plans as they were on a day (issue 16 item 5): the safety plan and the support plan from
their stored events up to the end of that day in Europe/Stockholm.

The version is found from the stored events' own ``timestamp`` (when the system recorded them),
then the library replays the aggregate to that version.  A plan that did not exist yet is absent:
the same 404 as any other plan the caller cannot see.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from uuid import UUID

from services.kit.auth import Caller
from services.kit.cases import CaseDataNotFound, CaseRef
from services.kit.domain.swedish_time import LOCAL
from services.network_support.domain.safety_plan import SafetyPlan
from services.network_support.domain.support_plan import SupportPlan
from services.network_support.use_cases.safety_plan import SafetyPlanUseCases
from services.network_support.use_cases.support_plan import SupportPlanUseCases


def end_of_day(day: date) -> datetime:
    """The first instant after ``day`` in Swedish local time; after the calendar's last day there
    is none, so as of that day is as of now: every event recorded so far."""
    if day == date.max:
        return datetime.max.replace(tzinfo=UTC)
    return datetime.combine(day + timedelta(days=1), time(), LOCAL)


class PlansAsOfUseCases(SupportPlanUseCases, SafetyPlanUseCases):
    def safety_plan_as_of(self, caller: Caller, case_id: str, day: date | None) -> SafetyPlan:
        """The case's safety plan (as it was at the end of ``day``, if given)."""
        if day is None:
            return self.safety_plan(caller, case_id)
        plan = self._as_of(SafetyPlan.id_for(caller.municipality, case_id), day)
        if plan is None:
            raise CaseDataNotFound(CaseRef(caller.municipality, case_id))
        return plan

    def support_plan_as_of(self, caller: Caller, case_id: str, day: date | None) -> SupportPlan:
        """The case's latest open plan as things stood at the end of ``day`` (else its latest then)."""
        if day is None:
            return self.support_plan(caller, case_id)
        then = [
            (plan.closed_because is None, made_at, plan)
            for made_at, plan_id, (owner, case, _) in self._support_plans.in_creation_order()
            if owner == caller.municipality and case == case_id
            if (plan := self._as_of(plan_id, day)) is not None
        ]
        if not then:
            raise CaseDataNotFound(CaseRef(caller.municipality, case_id))
        return max(then, key=lambda chosen: chosen[:2])[2]

    def referral_support_plan_as_of(self, caller: Caller, referral_id: str, day: date | None) -> SupportPlan:
        """The referral's plan (as it was at the end of ``day``, if given)."""
        plan = self.referral_support_plan(caller, referral_id)
        if day is None:
            return plan
        then = self._as_of(plan.id, day)
        if then is None:
            raise CaseDataNotFound(CaseRef(plan.municipality, plan.case_id))
        return then

    def _as_of(self, aggregate_id: UUID, day: date) -> Any | None:
        """The aggregate replayed from the events recorded by the end of ``day``; None before it."""
        end, version = end_of_day(day), None
        for stored in self.repository.event_store.get(aggregate_id):
            if stored.timestamp >= end:
                break
            version = stored.originator_version
        return None if version is None else self.repository.get(aggregate_id, version=version)
