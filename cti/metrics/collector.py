"""What /metrics says about a running bridge, read from its parts at scrape time."""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping
from typing import Protocol

from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from cti.ami.client import AmiClient, ConnectionState
from cti.ami.metrics import Counters
from cti.ingest.pipeline import IngestPipeline
from cti.state.tracker import Tracker

DATABASE_WRITERS = ("calllog", "tracking", "agent_events")
STAGE_COUNTERS = ("buffer_full", "handled", "errors")


class BridgeParts(Protocol):
    """The parts of `cti.bridge.Bridge` the collector reads."""

    metrics: Counters
    tracker: Tracker
    pipeline: IngestPipeline
    ami: AmiClient


LAG_HELP = "now minus Asterisk's time of the last applied event, when it was applied"
OVERFLOW_HELP = "times a stage's buffer was full (items spilled to its overflow list)"


def _counter(name: str, doc: str, value: float) -> CounterMetricFamily:
    return CounterMetricFamily(name, doc, value=value)


def _gauge(name: str, doc: str, value: float) -> GaugeMetricFamily:
    return GaugeMetricFamily(name, doc, value=value)


class IngestLag:
    """Seconds between Asterisk's time of the event the tracker applied last and when it did."""

    def __init__(self, tracker: Tracker) -> None:
        self._tracker = tracker
        self.seconds = 0.0

    def __call__(self) -> None:
        stamped = self._tracker.last_event_at
        if stamped:
            self.seconds = max(0.0, time.time() - stamped)


VARSETS_SKIPPED_HELP = "VarSet events of variables the bridge does not read, dropped unparsed"


class BridgeCollector(Collector):
    def __init__(self, bridge: BridgeParts, lag: IngestLag, clients: Mapping[str, int]) -> None:
        self._bridge, self._lag, self._clients = bridge, lag, clients

    def collect(self) -> Iterator[Metric]:
        counts = self._bridge.metrics.as_dict()
        connected = self._bridge.ami.state is ConnectionState.CONNECTED
        yield _gauge("cti_ami_connected", "1 while the AMI session is up", float(connected))
        yield _counter("cti_ami_events", "AMI events read", counts.get("ami_events", 0))
        skipped = counts.get("ami_varsets_skipped", 0)
        yield _counter("cti_ami_varsets_skipped", VARSETS_SKIPPED_HELP, skipped)
        applied = counts.get("tracker.events", 0)
        yield _counter("cti_tracker_events", "events the tracker applied", applied)
        yield _gauge("cti_ingest_lag_seconds", LAG_HELP, self._lag.seconds)
        yield _gauge("cti_tracker_open_calls", "calls followed now", len(self._bridge.tracker))
        yield from self._stages(counts)
        yield from self._pops(counts)
        yield from self._agi(counts)
        yield from self._database(counts)
        yield from self._webhooks(counts)
        clients = GaugeMetricFamily("cti_websocket_clients", "open websockets", labels=["endpoint"])
        for kind, count in sorted(self._clients.items()):
            clients.add_metric([kind], count)
        yield clients

    def _stages(self, counts: dict[str, int]) -> Iterator[Metric]:
        backlog = GaugeMetricFamily(
            "cti_stage_backlog", "items waiting in a stage", labels=["stage"]
        )
        overflow = CounterMetricFamily("cti_stage_overflow", OVERFLOW_HELP, labels=["stage"])
        errors = CounterMetricFamily("cti_stage_errors", "sink failures", labels=["stage"])
        for stage in self._bridge.pipeline.stages:
            backlog.add_metric([stage.name], stage.backlog)
            overflow.add_metric([stage.name], counts.get(f"{stage.name}.buffer_full", 0))
            errors.add_metric([stage.name], counts.get(f"{stage.name}.errors", 0))
        yield from (backlog, overflow, errors)

    def _pops(self, counts: dict[str, int]) -> Iterator[Metric]:
        sent = CounterMetricFamily("cti_pops_sent", "screen-pop frames published", labels=["type"])
        for name, value in sorted(counts.items()):
            if name.startswith("pops.sent."):
                sent.add_metric([name.removeprefix("pops.sent.")], value)
        yield sent

    def _agi(self, counts: dict[str, int]) -> Iterator[Metric]:
        sessions = CounterMetricFamily(
            "cti_agi_sessions", "FastAGI sessions by outcome", labels=["outcome"]
        )
        for outcome in ("answered", "timeouts", "protocol_errors", "errors", "unknown_script"):
            sessions.add_metric([outcome], counts.get(f"agi.{outcome}", 0))
        yield sessions

    def _database(self, counts: dict[str, int]) -> Iterator[Metric]:
        retries = CounterMetricFamily(
            "cti_database_retries", "writes retried while the database was away", labels=["writer"]
        )
        errors = CounterMetricFamily("cti_database_errors", "writes that failed", labels=["writer"])
        for writer in DATABASE_WRITERS:
            retries.add_metric([writer], counts.get(f"{writer}.retries", 0))
            errors.add_metric(
                [writer], counts.get(f"{writer}.errors", 0) + counts.get(f"{writer}.failed", 0)
            )
        yield from (retries, errors)

    def _webhooks(self, counts: dict[str, int]) -> Iterator[Metric]:
        deliveries = CounterMetricFamily(
            "cti_webhook_deliveries", "webhook delivery attempts by result", labels=["result"]
        )
        for result in ("delivered", "failed", "dead"):
            deliveries.add_metric([result], counts.get(f"webhooks.{result}", 0))
        yield deliveries
        yield _counter(
            "cti_webhook_sender_errors",
            "sender rounds that failed (database away)",
            counts.get("webhooks.errors", 0),
        )
