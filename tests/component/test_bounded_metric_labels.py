"""Metric labels come from closed sets: no request, with or without a token, can add series."""

from __future__ import annotations

import re

from services.kit.http import HTTP_METHODS


async def test_made_up_http_methods_add_no_metric_series(referrals) -> None:
    for n in range(60):
        await referrals.request(f"X-MADE-UP-{n}", "/healthz")
        await referrals.request(f"Q{n}", f"/api/v1/referrals/{n}")
    metrics = (await referrals.get("/metrics")).text
    methods = set(re.findall(r'natverk_http_request_duration_seconds_count\{method="([^"]*)"', metrics))
    assert methods <= HTTP_METHODS | {"other"}
    assert "other" in methods


async def test_unmatched_paths_share_one_route_label(referrals) -> None:
    for n in range(30):
        await referrals.get(f"/no-such-path-{n}")
    metrics = (await referrals.get("/metrics")).text
    routes = set(re.findall(r'natverk_http_request_duration_seconds_count\{[^}]*route="([^"]*)"', metrics))
    assert not any("no-such-path" in route for route in routes)
