"""Wiring of the case store: ``create_app(settings)`` builds everything."""

from __future__ import annotations

from fastapi import FastAPI

from contracts.topics import AUDIT_CHECKPOINTS
from services.case_store import SERVICE
from services.case_store.api import router as cases_router
from services.case_store.api import subject_access
from services.case_store.application import CaseStoreApplication
from services.case_store.audit import CheckpointFileIncomplete, NoCheckpointYet, StoreDiffersFromCheckpoint
from services.case_store.audit_api import router as audit_router
from services.case_store.checkpoints import CheckpointFile
from services.case_store.dead_letter_reads import router as dead_letter_reads_router
from services.case_store.district_report import router as district_router
from services.case_store.inbound import consumers
from services.case_store.metrics import PlacementMetrics
from services.case_store.publication import build_publication_table
from services.case_store.reports import router as reports_router
from services.case_store.signing import CheckpointSigner
from services.kit.committed import WhenCommitted
from services.kit.http import build_http_app
from services.kit.runtime import ServiceRuntime
from services.kit.settings import ServiceSettings
from services.kit.store import open_store

CHECKPOINT_DUE_CHECK_SECONDS = 5.0  # how often the leading replica asks whether a checkpoint is due


def build_runtime(settings: ServiceSettings) -> ServiceRuntime:
    signer = CheckpointSigner.from_settings(settings)  # refuses to start without a key outside dev mode
    app = open_store(CaseStoreApplication, settings, SERVICE)
    app.signer, app.checkpoint_file = signer, CheckpointFile.from_settings(settings)
    specs = consumers(app)
    dlqs = [f"{spec.topic}.dlq" for spec in specs]
    runtime = ServiceRuntime(
        SERVICE,
        settings,
        app,
        publication=build_publication_table(),
        consumers=specs,
        topics=[*dlqs, AUDIT_CHECKPOINTS],
        periodic=[(CHECKPOINT_DUE_CHECK_SECONDS, lambda: _checkpoint_if_due(runtime))],
    )
    app.observer = WhenCommitted(app, PlacementMetrics(runtime.metrics.registry))
    return runtime


def _checkpoint_if_due(runtime: ServiceRuntime) -> None:
    leading = runtime.relay is not None and runtime.relay.leader
    runtime.app.checkpoint_if_due(leading, runtime.settings.audit_checkpoint_interval_seconds)


def create_app(settings: ServiceSettings, start_runtime: bool = True) -> FastAPI:
    # An event about a case never conflicts with another municipality's case of the same id
    # (ADR 0016): the only errors of its own are the audit's.
    routers = [
        cases_router,
        reports_router,
        district_router,
        audit_router,
        subject_access,
        dead_letter_reads_router,
    ]
    errors = {StoreDiffersFromCheckpoint: 409, CheckpointFileIncomplete: 409, NoCheckpointYet: 404}
    return build_http_app(build_runtime(settings), routers, errors, start_runtime)
