"""The case store's application: ingest (``ingest.py``) and the HTTP reads (``reads.py``) on one store."""

from __future__ import annotations

from services.case_store import SERVICE
from services.case_store.ingest import CaseIngest, PlacementFact
from services.case_store.reads import CaseReads

__all__ = ["CaseStoreApplication", "PlacementFact"]


class CaseStoreApplication(CaseIngest, CaseReads):
    # Named here again: the library names every subclass after itself, and the name picks the
    # store's tables and environment.
    name = SERVICE
