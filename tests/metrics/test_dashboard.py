"""The Grafana dashboard asks only for metrics /metrics really has."""

from __future__ import annotations

import json
import re
from pathlib import Path

from cti.metrics.exposition import HISTOGRAMS

DASHBOARD = Path(__file__).resolve().parents[2] / "dialplans" / "grafana" / "cti-bridge.json"
COLLECTED = {
    "cti_ami_connected", "cti_ami_events_total", "cti_tracker_events_total",
    "cti_ingest_lag_seconds", "cti_tracker_open_calls", "cti_stage_backlog",
    "cti_stage_overflow_total", "cti_pops_sent_total", "cti_agi_sessions_total",
    "cti_database_retries_total", "cti_database_errors_total", "cti_websocket_clients",
    "cti_webhook_deliveries_total",
} | {f"{name}_bucket" for _, name, _, _ in HISTOGRAMS}  # fmt: skip


def test_every_panel_queries_a_metric_the_bridge_exposes() -> None:
    dashboard = json.loads(DASHBOARD.read_text(encoding="utf-8"))
    exprs = [t["expr"] for panel in dashboard["panels"] for t in panel["targets"]]
    used = {name for expr in exprs for name in re.findall(r"\bcti_[a-z_]+", expr)}
    assert used
    assert used <= COLLECTED, used - COLLECTED
