"""The network_support application: its use cases, one module per aggregate, composed here.

HTTP use cases take ``(caller, ...)`` and are get → call → save (STYLE §3); the kit's command
path runs them with who/why, idempotency and the access log.  Use cases driven by other
services' events take the facts of the event; the kit adds the tracking record.
"""

from __future__ import annotations

from services.network_support.use_cases.as_of import PlansAsOfUseCases
from services.network_support.use_cases.from_events import FromEventsUseCases
from services.network_support.use_cases.network_map import NetworkMapUseCases
from services.network_support.use_cases.placements import PlacementUseCases
from services.network_support.use_cases.plans_from_events import PlansFromEventsUseCases
from services.network_support.use_cases.reports import ReportUseCases
from services.network_support.use_cases.safety_plan import SafetyPlanUseCases
from services.network_support.use_cases.subject_access import SubjectAccessUseCases
from services.network_support.use_cases.support_plan import SupportPlanUseCases
from services.network_support.use_cases.worklist import WorklistUseCases


class NetworkSupportApplication(
    SubjectAccessUseCases,  # built on three of the others, so it comes before them
    PlansAsOfUseCases,  # the plans as they were on a day
    WorklistUseCases,  # what is due, for whom
    SupportPlanUseCases,
    NetworkMapUseCases,
    SafetyPlanUseCases,
    ReportUseCases,  # the monthly follow-up reports (SAMS, Stella)
    PlacementUseCases,
    FromEventsUseCases,  # with the home-return use cases: a placement's end moves a process
    PlansFromEventsUseCases,  # an accepted referral's plans, network meetings as follow-ups
):
    name = "network_support"
