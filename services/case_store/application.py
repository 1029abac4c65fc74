"""The case store's application: ingest (``ingest.py``), the HTTP reads (``reads.py``), the audit
(``audit.py``: checkpoints and verification) and the registerutdrag (``subject_access.py``) on one store."""

from __future__ import annotations

from services.case_store import SERVICE
from services.case_store.audit_report import CaseVerification
from services.case_store.district_report import DistrictReads
from services.case_store.ingest import CaseIngest, PlacementFact
from services.case_store.reads import CaseReads
from services.case_store.subject_access import CaseSubjectAccess

__all__ = ["CaseStoreApplication", "PlacementFact"]


class CaseStoreApplication(CaseIngest, CaseReads, DistrictReads, CaseVerification, CaseSubjectAccess):
    # Named here again: the library names every subclass after itself, and the name picks the
    # store's tables and environment.
    name = SERVICE
