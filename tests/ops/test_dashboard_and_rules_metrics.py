"""Every metric the Grafana dashboard and the alert rules ask for is one a service exports."""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml

from services.kit.settings import ServiceSettings
from services.stack import available_services

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
OURS = re.compile(r"\b((?:natverk|referral_to_staff_meeting|days_from_placement)_[a-z_]+)\b")


def exported_names(tmp_path: Path) -> set[str]:
    import importlib

    names: set[str] = set()
    for service in available_services():
        create_app = importlib.import_module(f"services.{service}.app").create_app
        app = create_app(ServiceSettings(data_dir=tmp_path / service), start_runtime=False)
        for family in app.state.runtime.metrics.registry.collect():
            names |= {family.name + suffix for suffix in ("", "_total", "_bucket", "_sum", "_count")}
        app.state.runtime.app.close()
    return names


def dashboard_expressions() -> list[str]:
    dashboard = json.loads((DEPLOY / "grafana" / "dashboards" / "natverk.json").read_text())
    return [t["expr"] for p in dashboard["panels"] for t in p.get("targets", [])]


def rule_expressions() -> list[str]:
    exprs = []
    for path in (DEPLOY / "prometheus" / "rules").glob("*.yml"):
        for group in yaml.safe_load(path.read_text())["groups"]:
            exprs += [rule["expr"] for rule in group["rules"]]
    return exprs


def test_the_dashboard_and_the_alerts_use_only_exported_metrics(tmp_path: Path) -> None:
    exported = exported_names(tmp_path)
    asked = {name for expr in dashboard_expressions() + rule_expressions() for name in OURS.findall(expr)}
    assert asked, "no natverk metrics found in the dashboard and rules"
    assert asked - exported == set()


def test_the_dashboard_covers_kpis_and_technical_health_without_overlapping_panels() -> None:
    dashboard = json.loads((DEPLOY / "grafana" / "dashboards" / "natverk.json").read_text())
    rows = [p["title"] for p in dashboard["panels"] if p["type"] == "row"]
    assert rows == ["Business KPIs", "Technical health"]
    cells = set()
    for panel in dashboard["panels"]:
        g = panel["gridPos"]
        for x in range(g["x"], g["x"] + g["w"]):
            for y in range(g["y"], g["y"] + g["h"]):
                assert (x, y) not in cells, f"panel {panel['title']} overlaps another"
                cells.add((x, y))
    exprs = " ".join(dashboard_expressions())
    for kpi in (
        "referral_to_staff_meeting_days",
        "days_from_placement_to_school_start",
        "natverk_parent_support_offered",
        "natverk_placements_total",
        "natverk_placements_ended_total",
        "natverk_consumer_lag_records",
        "natverk_consumer_lag_age_seconds",
        "natverk_relay_lag_events",
        "natverk_dlq_records_total",
        "natverk_http_request_duration_seconds",
    ):
        assert kpi in exprs, kpi
