"""Topic names.  Public (fixed) ones first, then the services' own topics."""

from __future__ import annotations

from contracts.common import MUNICIPALITIES

PLACEMENTS = "ext.placements.v1"
DLQ_SUFFIX = ".dlq"
PLACEMENTS_DLQ = PLACEMENTS + DLQ_SUFFIX

REFERRALS = "natverk.referrals.v1"
SCHEDULING = "natverk.scheduling.v1"
NETWORK_SUPPORT = "natverk.network_support.v1"
COLLABORATION = "natverk.collaboration.v1"
CASE_STORE = "natverk.case_store.v1"
AUDIT_CHECKPOINTS = "natverk.audit.checkpoints.v1"


def partner_topic(municipality: str) -> str:
    """The only topic a partner municipality may read."""
    if municipality not in MUNICIPALITIES:
        raise ValueError(f"unknown municipality code {municipality!r}")
    return f"partner.{municipality}.v1"


def dead_letter_topic(topic: str) -> str:
    return topic + DLQ_SUFFIX


PARTNER_TOPICS: tuple[str, ...] = tuple(partner_topic(code) for code in MUNICIPALITIES)
SERVICE_TOPICS: tuple[str, ...] = (REFERRALS, SCHEDULING, NETWORK_SUPPORT, COLLABORATION, CASE_STORE)
ALL_TOPICS: tuple[str, ...] = (
    PLACEMENTS,
    PLACEMENTS_DLQ,
    *SERVICE_TOPICS,
    *tuple(dead_letter_topic(t) for t in SERVICE_TOPICS),
    AUDIT_CHECKPOINTS,
    *PARTNER_TOPICS,
)
