"""The bridge's pass over the voicemail spool: every `scan_seconds`, at once for a box a
MessageWaiting event names, and again soon while a new message waits for its call."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

from crm_core.services.dto import Actor
from crm_core.services.dto.voicemails import ScanResult, VoicemailOut
from crm_core.services.voicemail_log import VoicemailLog
from cti.ami.metrics import Counters
from cti.state.events import AmiEvent, Resync
from cti.voicemail.settings import VoicemailSettings
from cti.voicemail.watch import changed_box

log = logging.getLogger(__name__)
VOICEMAIL_ACTOR = Actor.system("voicemail")
WAITING_RETRY_SECONDS = 2.0
Notify = Callable[[VoicemailOut], Awaitable[None]]


def _now() -> datetime:
    return datetime.now(UTC)


class VoicemailScanner:
    def __init__(
        self, log_: VoicemailLog, settings: VoicemailSettings, metrics: Counters,
        make_leads: bool = True, clock: Callable[[], datetime] = _now,
        notify: Notify | None = None,
    ) -> None:  # fmt: skip
        self._log = log_
        self._settings = settings
        self._metrics = metrics
        self._make_leads = make_leads
        self._clock = clock
        self._notify = notify
        self._boxes: set[tuple[str, str]] = set()
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def observe(self, item: AmiEvent | Resync) -> None:
        """Inline on every AMI event: a box that changed is scanned at once (off the reader)."""
        box = changed_box(item)
        if box is not None:
            self._metrics.inc("voicemail.message_waiting")
            self._boxes.add(box)
            self._wake.set()

    async def scan(self, box: tuple[str, str] | None = None) -> ScanResult:
        """One pass over the spool (or one box): what it found, written."""
        spool = self._log.spool
        if not spool.root.is_dir():
            self._metrics.inc("voicemail.spool_missing")
            return ScanResult()
        boxes = [box] if box is not None else await asyncio.to_thread(spool.boxes)
        messages, broken = await asyncio.to_thread(spool.scan, box)
        present = [b for b in boxes if (spool.root / b[0] / b[1]).is_dir()]
        result = await self._log.record_scan(
            VOICEMAIL_ACTOR, messages, present, self._clock(),
            timedelta(seconds=self._settings.link_grace_seconds), self._make_leads, broken,
        )  # fmt: skip
        self._metrics.inc("voicemail.added", len(result.added))
        for added in result.added:
            await self._tell(added)
        if result.added or result.gone or result.moved:
            log.info("voicemail: %d new, %d moved, %d gone", len(result.added), result.moved,
                     result.gone)  # fmt: skip
        return result

    async def _tell(self, added: VoicemailOut) -> None:
        if self._notify is None:
            return
        try:
            await self._notify(added)
        except Exception:
            self._metrics.inc("voicemail.notify_errors")
            log.exception("voicemail %s: the owner's page was not told", added.id)

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="voicemail-scan")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        full_due = loop.time()
        while True:
            try:
                if loop.time() >= full_due:
                    self._boxes.clear()
                    waiting = (await self.scan()).waiting
                    full_due = loop.time() + self._settings.scan_seconds
                else:
                    boxes, self._boxes = self._boxes, set()
                    waiting = sum([(await self.scan(box)).waiting for box in sorted(boxes)])
                if waiting:  # a message whose call is not written yet: look again soon
                    full_due = min(full_due, loop.time() + WAITING_RETRY_SECONDS)
            except Exception:
                self._metrics.inc("voicemail.errors")
                log.exception("voicemail: a pass over the spool failed; trying again")
                full_due = loop.time() + self._settings.scan_seconds
            if self._boxes:
                continue
            self._wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), max(0.0, full_due - loop.time()))
