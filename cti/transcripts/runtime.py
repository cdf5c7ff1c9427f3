"""The transcripts' part of `cti serve`, built from settings by the composition root: the worker
(when a backend can start) reading the recordings directory (`CTI_RECORDINGS_DIR`), and its
figures for /metrics."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager

from fastapi import FastAPI
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from crm_core.recordings.files import RecordingFiles
from crm_core.services import Services
from crm_core.services.transcript_access import keyword_rules_of, transcript_jobs_of
from cti.ami.metrics import Counters
from cti.bus.base import Bus
from cti.transcripts.alerts import SupervisorAlerts
from cti.transcripts.audio import CallAudioSource, RecordedCallAudio
from cti.transcripts.backends import speech_backend
from cti.transcripts.settings import SummarySettings, TranscriptSettings
from cti.transcripts.summary import ChatSummariser
from cti.transcripts.whisper_backend import BackendUnavailableError
from cti.transcripts.worker import TranscriptWorker

log = logging.getLogger(__name__)
RESULTS = ("done", "retried", "failed", "summary_errors", "errors")


def build_worker(
    services: Services,
    bus: Bus,
    metrics: Counters,
    settings: TranscriptSettings,
    summary: SummarySettings,
    audio: CallAudioSource | None = None,
) -> TranscriptWorker | None:
    """The worker, or None (said in the log) when the backend cannot start."""
    try:
        speech = speech_backend(settings)
    except BackendUnavailableError as exc:
        log.warning("transcripts: %s; jobs wait in the queue", exc)
        return None
    return TranscriptWorker(
        transcript_jobs_of(services),
        services.calls.get,
        audio
        or RecordedCallAudio(services.sessions, RecordingFiles(services.settings.recordings_dir)),
        speech,
        keyword_rules_of(services),
        SupervisorAlerts(bus),
        settings,
        metrics,
        ChatSummariser(summary) if summary.url else None,
    )


def worker_lifespan(
    worker: TranscriptWorker,
) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    @asynccontextmanager
    async def run(_app: FastAPI) -> AsyncIterator[None]:
        worker.start()
        try:
            yield
        finally:
            await worker.stop()

    return run


class TranscriptCollector(Collector):
    def __init__(self, worker: TranscriptWorker | None, metrics: Counters) -> None:
        self._worker, self._metrics = worker, metrics

    def collect(self) -> Iterator[Metric]:
        backlog = GaugeMetricFamily(
            "cti_transcript_backlog",
            "transcription jobs by status (read each worker round)",
            labels=["status"],
        )
        if (
            self._worker is not None
        ):  # without a worker nobody reads it: GET /api/transcripts/backlog
            for status in ("queued", "running", "done", "failed"):
                backlog.add_metric([status], self._worker.backlog.get(status, 0))
            yield backlog
        results = CounterMetricFamily(
            "cti_transcripts", "transcription attempts by result", labels=["result"]
        )
        counts = self._metrics.as_dict()
        for result in RESULTS:
            results.add_metric([result], counts.get(f"transcripts.{result}", 0))
        yield results
