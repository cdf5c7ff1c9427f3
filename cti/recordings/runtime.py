"""The recordings part of the running bridge: the watch (inline, pure), its stage, the sweep."""

from __future__ import annotations

from collections.abc import Sequence

from crm_core.services.recording_log import RecordingLog
from cti.ami.metrics import Counters
from cti.ingest.stage import Stage
from cti.pbxs import DEFAULT_PBX
from cti.recordings.linker import RecordingLinker
from cti.recordings.settings import RecordingSettings
from cti.recordings.sweep import RecordingSweep
from cti.recordings.watch import RecordingNote, RecordingWatch
from cti.settings import BridgeSettings
from cti.state.events import AmiEvent, Resync


def _concat(batches: list[Sequence[RecordingNote]]) -> Sequence[RecordingNote]:
    return [note for batch in batches for note in batch]


class RecordingsRuntime:
    def __init__(
        self, recordings: RecordingLog, settings: RecordingSettings, bridge: BridgeSettings,
        metrics: Counters,
    ) -> None:  # fmt: skip
        self.watch = RecordingWatch(bridge.agent_channel_regex)
        linker = RecordingLinker(recordings, metrics, bridge.pbx or DEFAULT_PBX)
        self.stage: Stage[Sequence[RecordingNote]] = Stage(
            "recordings", linker.handle, metrics, merge=_concat
        )
        self.sweep = RecordingSweep(recordings, settings)

    def observe(self, item: AmiEvent | Resync) -> None:
        notes = self.watch.apply(item)
        if notes:
            self.stage.offer(notes)

    def start(self) -> None:
        self.stage.start()
        self.sweep.start()

    async def stop_sweep(self) -> None:
        await self.sweep.stop()

    async def drain(self) -> None:
        await self.stage.drain()

    async def stop(self) -> None:
        await self.stage.stop()
