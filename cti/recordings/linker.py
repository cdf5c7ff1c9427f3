"""The "recordings" stage: what the watch saw, written as the call's recordings."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import UTC, datetime

from crm_core.services.dto.recordings import RecordingStart, RecordingStop, Speaker
from crm_core.services.recording_log import RecordingLog
from cti.ami.metrics import Counters
from cti.pbxs import DEFAULT_PBX
from cti.recordings.watch import RecordingBegan, RecordingEnded, RecordingNote

log = logging.getLogger(__name__)


def _when(at: float) -> datetime:
    return datetime.fromtimestamp(at, UTC)


def recording_start(note: RecordingBegan, pbx: str = DEFAULT_PBX) -> RecordingStart:
    """MixMonitor runs on the channel that ran the dialplan: an agent's phone (outbound,
    internal) or the caller's (inbound). It receives that party and sends the other."""
    received = Speaker.AGENT if note.on_agent_channel else Speaker.CLIENT
    sent = Speaker.CLIENT if note.on_agent_channel else Speaker.AGENT
    return RecordingStart(
        pbx=pbx, linkedid=note.linkedid, file_name=note.file_name, received_file=note.received_file,
        sent_file=note.sent_file, received_speaker=received, sent_speaker=sent,
        channel=note.channel[:128], at=_when(note.at),
    )  # fmt: skip


class RecordingLinker:
    def __init__(self, recordings: RecordingLog, metrics: Counters, pbx: str = DEFAULT_PBX) -> None:
        self._pbx = pbx
        self._recordings = recordings
        self._metrics = metrics

    async def handle(self, notes: Sequence[RecordingNote]) -> None:
        """Everything waiting in one transaction (the stage merges a backlog); if that fails,
        note by note, so one bad note costs only itself."""
        if len(notes) > 1:
            try:
                await self._recordings.record_many(
                    [c for n in notes for c in _changes(n, self._pbx)]
                )
                self._count(notes)
                return
            except Exception:
                log.exception("writing %d recording notes together failed; one by one", len(notes))
        for note in notes:
            try:
                await self._apply(note)
            except Exception:
                self._metrics.inc("recordings.errors")
                log.exception("recording %s not written", note)

    def _count(self, notes: Sequence[RecordingNote]) -> None:
        for note in notes:
            self._metrics.inc(
                "recordings.started" if isinstance(note, RecordingBegan) else "recordings.stopped"
            )

    async def _apply(self, note: RecordingNote) -> None:
        if isinstance(note, RecordingBegan):
            await self._recordings.started(recording_start(note, self._pbx))
            self._metrics.inc("recordings.started")
            return
        assert isinstance(note, RecordingEnded)
        for name in note.file_names:
            await self._recordings.stopped(name, _when(note.at))
        self._metrics.inc("recordings.stopped")


def _changes(note: RecordingNote, pbx: str) -> list[RecordingStart | RecordingStop]:
    if isinstance(note, RecordingBegan):
        return [recording_start(note, pbx)]
    return [RecordingStop(file_name=name, at=_when(note.at)) for name in note.file_names]
