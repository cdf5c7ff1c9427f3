"""The app's metrics: one registry per bridge, its histograms, and the GET /metrics route."""

from __future__ import annotations

from collections.abc import Mapping

from fastapi import APIRouter, Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Histogram, generate_latest

from cti.metrics.collector import BridgeCollector, BridgeParts, IngestLag

FAST = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)
WEBHOOK = (0.01, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 15.0, 60.0, 300.0, 1800.0, 3600.0)
HISTOGRAMS = (
    ("pops.ring_to_pop_seconds", "cti_ring_to_pop_seconds",
     "Asterisk's ring time to the pop published for the agent", FAST),
    ("agi.answer_seconds", "cti_agi_answer_seconds",
     "a FastAGI routing session, from connect to the last answer line", FAST),
    ("webhooks.delivery_seconds", "cti_webhook_delivery_latency_seconds",
     "an event's outbox time to its accepted delivery", WEBHOOK),
)  # fmt: skip


class BridgeMetrics:
    def __init__(self, bridge: BridgeParts, websocket_clients: Mapping[str, int]) -> None:
        self.registry = CollectorRegistry(auto_describe=False)
        lag = IngestLag(bridge.tracker)
        bridge.pipeline.after_each_event(lag)
        self.registry.register(BridgeCollector(bridge, lag, websocket_clients))
        for source, name, doc, buckets in HISTOGRAMS:
            histogram = Histogram(name, doc, buckets=buckets, registry=self.registry)
            bridge.metrics.on_observe(source, histogram.observe)

    def text(self) -> bytes:
        return generate_latest(self.registry)


def metrics_router(metrics: BridgeMetrics) -> APIRouter:
    router = APIRouter()

    @router.get("/metrics", tags=["bridge"], response_class=Response)
    async def prometheus_metrics() -> Response:
        """The bridge's figures in Prometheus' text format (for a scraper; no sign-in)."""
        return Response(metrics.text(), media_type=CONTENT_TYPE_LATEST)

    return router
