"""The transcription worker: one asyncio task in `cti serve` (never the AMI reader's: it only
claims jobs from the database and awaits the backend; pocketsphinx decodes in a child process).

Each round first queues the calls whose recording became complete, then claims the oldest due
job, reads the call's audio through `CallAudioSource`, asks the
backend for each side's lines, writes a summary when a chat model is configured, stores it all,
lets the keyword rules flag the call and tells supervisors. A failure (the file not there yet,
the server away) is tried again after a backoff doubling from `retry_base_seconds` up to
`retry_max_seconds`; after `max_attempts` the job is failed and the card says so.
"""

from __future__ import annotations

import logging
import os
import random
import socket
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime, timedelta

from crm_core.errors import NotFoundError
from crm_core.models.base import utcnow
from crm_core.services.dto import Actor, CallOut
from crm_core.services.dto.transcripts import FlagOut
from crm_core.services.keyword_rules import KeywordRuleService
from crm_core.services.transcript_jobs import ClaimedJob, Line, Summary, TranscriptJobStore
from cti.ami.metrics import Counters
from cti.periodic import Rounds
from cti.transcripts.audio import AudioNotReadyError, CallAudioSource
from cti.transcripts.settings import TranscriptSettings
from cti.transcripts.speech import Segment, SpeechToText, TranscriptionError
from cti.transcripts.summary import ChatSummariser, SummaryError

log = logging.getLogger(__name__)
SYSTEM = Actor.system("transcripts")
RETRYABLE = (AudioNotReadyError, TranscriptionError, OSError)

GetCall = Callable[[Actor, int], Awaitable[CallOut]]
Alert = Callable[[CallOut, Sequence[FlagOut]], Awaitable[None]]


def lines_of(speaker: str, segments: Sequence[Segment], offset_ms: int = 0) -> list[Line]:
    return [
        Line(speaker, offset_ms + round(s.start * 1000),
             offset_ms + round(max(s.end, s.start) * 1000), s.text)
        for s in segments
        if s.text.strip()
    ]  # fmt: skip


def backoff(attempts: int, settings: TranscriptSettings) -> float:
    """Seconds before attempt `attempts + 1`: doubling, capped, with up to 10 % jitter."""
    delay = min(settings.retry_max_seconds, settings.retry_base_seconds * 2.0 ** (attempts - 1))
    return float(delay * (1 + random.random() / 10))


class TranscriptWorker(Rounds):
    task_name = "transcript-worker"

    def __init__(
        self,
        jobs: TranscriptJobStore,
        get_call: GetCall,
        audio: CallAudioSource,
        speech: SpeechToText,
        keywords: KeywordRuleService,
        alert: Alert,
        settings: TranscriptSettings,
        metrics: Counters,
        summariser: ChatSummariser | None = None,
    ) -> None:
        super().__init__(settings.poll_seconds, lambda: metrics.inc("transcripts.errors"))
        self._jobs, self._get_call, self._audio, self._speech = jobs, get_call, audio, speech
        self._keywords, self._alert, self._settings = keywords, alert, settings
        self._metrics, self._summariser = metrics, summariser
        self.worker_id = f"{socket.gethostname()}:{os.getpid()}"
        self.backlog: dict[str, int] = {}

    async def run_round(self) -> bool:
        busy = await self.round()
        self.backlog = await self._jobs.backlog()
        return busy

    async def closed(self) -> None:
        await self._speech.close()
        if self._summariser is not None:
            await self._summariser.close()

    async def round(self, now: datetime | None = None) -> bool:
        """Work on one due job; False when none was due."""
        await self._jobs.queue_recorded(now)
        lease = timedelta(seconds=self._settings.lease_seconds)
        job = await self._jobs.claim(self.worker_id, lease, now)
        if job is None:
            return False
        try:
            await self._transcribe(job)
        except RETRYABLE as exc:
            await self._failed(job, f"{type(exc).__name__}: {exc}" if not str(exc) else str(exc))
        except NotFoundError:
            await self._jobs.fail(job, "the call is gone", None)
        return True

    async def _transcribe(self, job: ClaimedJob) -> None:
        call = await self._get_call(SYSTEM, job.call_id)
        lines: list[Line] = []
        for part in await self._audio.audio_of(call):
            segments = await self._speech.transcribe(part.path)
            lines.extend(lines_of(part.speaker, segments, part.offset_ms))
        lines.sort(key=lambda line: (line.start_ms, line.speaker))
        summary = await self._summary(lines)
        if not await self._jobs.complete(job, self._speech.name, lines, summary):
            log.warning("call %s: the transcription job was taken by another worker", call.id)
            return
        self._metrics.inc("transcripts.done")
        flags = await self._keywords.flag_call(call.id)
        if flags:
            await self._alert(call, flags)

    async def _summary(self, lines: Sequence[Line]) -> Summary | None:
        if self._summariser is None or not lines:
            return None
        try:
            return await self._summariser.summarise(lines)
        except SummaryError as exc:
            self._metrics.inc("transcripts.summary_errors")
            log.warning("no summary: %s", exc)
            return None

    async def _failed(self, job: ClaimedJob, error: str) -> None:
        if job.attempts >= self._settings.max_attempts:
            self._metrics.inc("transcripts.failed")
            log.warning("call %s: transcription failed for good: %s", job.call_id, error)
            await self._jobs.fail(job, error, None)
            return
        self._metrics.inc("transcripts.retried")
        retry_at = utcnow() + timedelta(seconds=backoff(job.attempts, self._settings))
        await self._jobs.fail(job, error, retry_at)
