"""Who may call what: the roster is kept by coordinators and ops, meetings by the staff too."""

from __future__ import annotations

ROSTER_KEEPERS = ("coordinator", "ops")
SCHEDULERS = (*ROSTER_KEEPERS, "network_centre", "safety_team", "case_worker")
READERS = (*SCHEDULERS, "auditor")
