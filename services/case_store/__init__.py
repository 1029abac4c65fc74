"""case_store: the tamper-evident timeline of every case, and who looked at it."""

SERVICE = "case_store"
