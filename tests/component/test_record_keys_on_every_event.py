"""Every stored event carries a record key, whether its service publishes it today or not (ADR 0009
addendum, "internal records carry no count either").  A later version that starts publishing a
class then names the events stored before it by their keys: named ``<originator>.<version>``, as
they were when only published classes were keyed, they would count the aggregate's events again.
"""

from __future__ import annotations

import json
import re

from contracts.common import ContractModel
from contracts.topics import SCHEDULING
from services.kit.outbox import records_of
from services.kit.publication import Outgoing, PublicationTable
from services.scheduling.domain.staff_member import StaffMember
from services.scheduling.publication import build_publication_table
from tests.component.conftest import fed_referral_records
from tests.component.test_scheduling_case_worker_capacity_http import NEW, register

COUNTING_ID = re.compile(r"[0-9a-f-]{36}\.\d+")


class Registered(ContractModel):
    """What a later version might publish of a staff member's registration (no such contract yet)."""

    staff_id: str


async def test_an_event_of_a_class_a_later_version_publishes_goes_out_with_an_id_that_counts_nothing(
    scheduling,
) -> None:
    store = fed_referral_records(scheduling, "record-keys")
    await register(scheduling, NEW)  # a staff member's registration: not published by this version
    today = build_publication_table(lambda i, v: store.repository.get(i, version=v))
    later = PublicationTable(
        today.source,
        {
            StaffMember.Registered: lambda e: Outgoing(
                SCHEDULING, "se.natverk.x.v1", "s", Registered(staff_id="s")
            )
        },
    )
    registered = store.recorder.select_notifications(1, 10_000)[-1]

    [record] = records_of(store, later, registered, registered.id, 0)

    assert not COUNTING_ID.fullmatch(json.loads(record.value)["id"])
