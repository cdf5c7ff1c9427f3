"""/metrics' transcript figures as Prometheus reads them: the backlog by status (what the worker
read last round) and the attempts by result; without a worker no backlog is claimed."""

from __future__ import annotations

from typing import Any, cast

from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.parser import text_string_to_metric_families

from cti.ami.metrics import Counters
from cti.transcripts.runtime import TranscriptCollector
from cti.transcripts.worker import TranscriptWorker


class _Worker:
    def __init__(self) -> None:
        self.backlog = {"queued": 3, "running": 1, "done": 7, "failed": 2}


def _samples(worker: object | None, counters: Counters) -> dict[tuple[str, str], float]:
    registry = CollectorRegistry(auto_describe=False)
    registry.register(TranscriptCollector(cast(TranscriptWorker | None, worker), counters))
    text = generate_latest(registry).decode()
    found: dict[tuple[str, str], float] = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            labels: dict[str, Any] = sample.labels
            found[(sample.name, next(iter(labels.values()), ""))] = sample.value
    return found


def test_backlog_by_status_and_attempts_by_result() -> None:
    counters = Counters()
    counters.inc("transcripts.done", 5)
    counters.inc("transcripts.retried", 2)
    found = _samples(_Worker(), counters)
    assert found[("cti_transcript_backlog", "queued")] == 3
    assert found[("cti_transcript_backlog", "failed")] == 2
    assert found[("cti_transcripts_total", "done")] == 5
    assert found[("cti_transcripts_total", "retried")] == 2
    assert found[("cti_transcripts_total", "failed")] == 0


def test_without_a_worker_no_backlog_is_claimed() -> None:
    found = _samples(None, Counters())
    assert not [key for key in found if key[0] == "cti_transcript_backlog"]
    assert found[("cti_transcripts_total", "done")] == 0
