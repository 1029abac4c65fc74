"""Schemathesis against every service's OpenAPI, with all checks, with and without a token.

Each service's app is built by its own factory on a fresh SQLite store (no broker: commands
are stored and wait for the relay).  A token-less run must be refused everywhere; a token
run must never produce a 5xx, an undocumented status or a response that breaks its schema.
"""

from __future__ import annotations

import importlib
import re
import tempfile
from pathlib import Path
from typing import Any

import schemathesis
from hypothesis import HealthCheck, assume, settings
from prometheus_client import generate_latest
from schemathesis.specs.openapi.checks import positive_data_acceptance

from services.kit.http import HTTP_METHODS
from services.kit.outbox import records_of
from services.stack import available_services
from tests.conftest import make_settings
from tests.security.command_path_table import TOKEN_READS
from tests.support.tokens import bearer

STATUS_CLASSES = 5  # 1xx-5xx: with route templates and methods from closed sets, series are bounded
TOKEN = bearer("0380", ("case_worker", "coordinator", "auditor", "network_centre", "safety_team", "ops"))


def _schema_for(service: str) -> tuple[schemathesis.BaseSchema, Any]:
    factory = importlib.import_module(f"services.{service}.app").create_app
    app = factory(
        make_settings(Path(tempfile.mkdtemp(prefix=f"schemathesis-{service}-"))), start_runtime=False
    )
    # /readyz answers 503 without a broker, rightly: the operations endpoints are not fuzzed.
    return schemathesis.openapi.from_asgi("/openapi.json", app).include(path_regex="^/api/"), app


def assert_everything_stored_is_publishable(runtime: Any) -> None:
    """ARCHITECTURE §2.6: nothing an API accepted may be unpublishable later (the relay would park it)."""
    if runtime.publication is None:
        return
    store = runtime.app
    for notification in store.recorder.select_notifications(1, 100_000):
        records_of(store, runtime.publication, notification, notification.id, 0)


def _tests_for(service: str) -> None:
    schema, app = _schema_for(service)

    @schema.parametrize()
    @settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
    def test_with_a_token(case: schemathesis.Case) -> None:
        # A query parameter whose value is an empty list is not sent at all (httpx drops it): a
        # case schemathesis made "invalid" by such an unknown parameter is a valid request, and
        # its 200 would read as negative data accepted (seen in CI: `?limit=109` only).
        assume(all(value != [] for value in (case.query or {}).values()))
        # Every check but positive-data acceptance: a personal identity number's Luhn digit and
        # real date cannot be said in JSON Schema, so schema-valid numbers are rightly refused.
        case.call_and_validate(headers=TOKEN, excluded_checks=[positive_data_acceptance])
        assert_everything_stored_is_publishable(app.state.runtime)

    @schema.parametrize()
    @settings(max_examples=5, deadline=None, suppress_health_check=list(HealthCheck))
    def test_without_a_token(case: schemathesis.Case) -> None:
        response = case.call()
        if case.path in TOKEN_READS:  # its credential is the token in its path: a made-up one is absent
            assert response.status_code in (404, 405), response.text  # 405: a method it does not serve
            assert "VEVENT" not in response.text
            return
        assert response.status_code == 401, response.text  # authentication comes before anything else
        assert "entries" not in response.text and "referral_id" not in response.text

    def test_metric_series_stay_bounded_after_the_fuzz_run() -> None:
        """Labels come from closed sets: whatever the fuzzer sent, the series stay few (ARCHITECTURE §2.9)."""
        exposition = generate_latest(app.state.runtime.metrics.registry).decode()
        requests = re.findall(r"natverk_http_request_duration_seconds_count\{([^}]*)\}", exposition)
        templates = len(app.openapi()["paths"]) + 4  # and /healthz, /readyz, /metrics, unmatched
        assert set(re.findall(r'method="([^"]*)"', exposition)) <= HTTP_METHODS | {"other"}
        assert len(requests) <= templates * (len(HTTP_METHODS) + 1) * STATUS_CLASSES, len(requests)

    globals()[f"test_{service}_api_with_a_token"] = test_with_a_token
    globals()[f"test_{service}_api_without_a_token_is_refused"] = test_without_a_token
    # Defined after the fuzz tests, so pytest runs it after them, on the same app.
    globals()[f"test_{service}_metric_series_stay_bounded_after_the_fuzz_run"] = (
        test_metric_series_stay_bounded_after_the_fuzz_run
    )


for _service in available_services():
    _tests_for(_service)
