"""Operations behind ``natverk dlq|verify|stats|rebuild|outbox``."""

from services.ops.chains import anything_wrong, case_label, describe_chain_report
from services.ops.client import case_store_url, fetch_chain_report, fetch_statistics, ops_headers, service_url
from services.ops.dead_letters import DeadLetter, describe, read_dead_letters, redrive, show
from services.ops.hand_over import GroupStillActive
from services.ops.rebuild import rebuild_case_store
from services.ops.statistics import render_statistics, statistics_table

__all__ = [
    "DeadLetter",
    "GroupStillActive",
    "anything_wrong",
    "case_label",
    "case_store_url",
    "describe",
    "describe_chain_report",
    "fetch_chain_report",
    "fetch_statistics",
    "ops_headers",
    "read_dead_letters",
    "rebuild_case_store",
    "redrive",
    "render_statistics",
    "service_url",
    "show",
    "statistics_table",
]
