"""Records on the referrals topic as the referrals service relays them, for tests and benches
that feed scheduling."""

from __future__ import annotations

import json
from datetime import UTC, datetime

REFERRED_AT = datetime(2026, 11, 23, 7, 0, tzinfo=UTC)  # a Monday morning


def referral_received(
    case_id: str,
    referral_id: str,
    sequence: int,
    child_status: str = "placed",
    municipality: str = "0380",
    protected_identity: bool = False,
) -> bytes:
    return json.dumps(
        {
            "specversion": "1.0",
            "id": f"{referral_id}.1",
            "source": "/natverk/referrals",
            "type": "se.natverk.referral.received.v1",
            "time": REFERRED_AT.isoformat(),
            "subject": case_id,
            "datacontenttype": "application/json",
            "sequence": str(sequence),
            "actor": "system:placements",
            "data": {
                "referral_id": referral_id,
                "case_id": case_id,
                "municipality": municipality,
                "target": "network_centre",
                "child_status": child_status,
                "protected_identity": protected_identity,
                "case_worker_id": "unassigned",
                "origin": "placement",
                "placement_id": "P-1",
            },
        }
    ).encode()


def referral_declined(case_id: str, referral_id: str, sequence: int, municipality: str = "0380") -> bytes:
    return _referral_changed("declined", case_id, referral_id, sequence, municipality, {})


def referral_revoked(case_id: str, referral_id: str, sequence: int, municipality: str = "0380") -> bytes:
    return _referral_changed("revoked", case_id, referral_id, sequence, municipality, {})


def case_worker_assigned(
    case_id: str, referral_id: str, sequence: int, case_worker_id: str, municipality: str = "0380"
) -> bytes:
    extra = {"case_worker_id": case_worker_id}
    return _referral_changed("case_worker_assigned", case_id, referral_id, sequence, municipality, extra)


def referral_closed(case_id: str, referral_id: str, sequence: int, municipality: str = "0380") -> bytes:
    return _referral_changed("closed", case_id, referral_id, sequence, municipality, {})


def child_placed(
    case_id: str,
    referral_id: str,
    sequence: int,
    placement_id: str,
    municipality: str = "0380",
    protected_identity: bool | None = None,  # None: as relayed before the field was added
) -> bytes:
    extra: dict[str, object] = {"placement_id": placement_id}
    if protected_identity is not None:
        extra["protected_identity"] = protected_identity
    return _referral_changed("child_placed", case_id, referral_id, sequence, municipality, extra)


def _referral_changed(
    change: str, case_id: str, referral_id: str, sequence: int, municipality: str, extra: dict[str, object]
) -> bytes:
    return json.dumps(
        {
            "specversion": "1.0",
            "id": f"{referral_id}.{sequence}",
            "source": "/natverk/referrals",
            "type": f"se.natverk.referral.{change}.v1",
            "time": REFERRED_AT.isoformat(),
            "subject": case_id,
            "datacontenttype": "application/json",
            "sequence": str(sequence),
            "actor": "coordinator-1",
            "data": {
                "referral_id": referral_id,
                "case_id": case_id,
                "municipality": municipality,
                "target": "network_centre",
                **extra,
            },
        }
    ).encode()
