"""Which MixMonitor files a call has, and when each is finished: pure, fed every AMI event.

Asterisk names the file in a VarSet of MIXMONITOR_FILENAME on the recorded channel. MixMonitor
stops when that channel hangs up or on StopMixMonitor (the MixMonitorStop event); Asterisk
closes the file a moment later, so "stopped" is when to look, not a promise it is complete.
The two directions (MixMonitor's r() and t() files) are named after the mix by the dialplan
(`cti-record`: NAME.wav, NAME-rx.wav, NAME-tx.wav); AMI never names them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePosixPath

from crm_core.recordings.files import safe_name
from cti.state.events import AmiEvent, Resync

FILENAME_VARIABLE = "MIXMONITOR_FILENAME"
RECEIVED_SUFFIX, SENT_SUFFIX = "-rx", "-tx"


@dataclass(frozen=True, slots=True)
class RecordingBegan:
    linkedid: str
    channel: str
    file_name: str
    received_file: str
    sent_file: str
    on_agent_channel: bool
    at: float


@dataclass(frozen=True, slots=True)
class RecordingEnded:
    file_names: tuple[str, ...]
    at: float


RecordingNote = RecordingBegan | RecordingEnded


def direction_files(file_name: str) -> tuple[str, str]:
    path = PurePosixPath(file_name)
    return f"{path.stem}{RECEIVED_SUFFIX}{path.suffix}", f"{path.stem}{SENT_SUFFIX}{path.suffix}"


class RecordingWatch:
    def __init__(self, agent_channel_regex: str) -> None:
        self._agent = re.compile(agent_channel_regex)
        self._files: dict[str, list[str]] = {}  # uniqueid -> files MixMonitor writes on it
        self.refused = 0  # file names that were not plain, safe names

    def apply(self, item: AmiEvent | Resync) -> list[RecordingNote]:
        if isinstance(item, Resync):
            return self._resync(item)
        if item.name == "VarSet" and item.get("Variable") == FILENAME_VARIABLE:
            return self._began(item)
        if item.name in ("Hangup", "MixMonitorStop"):
            return self._ended(item.get("Uniqueid"), item.time)
        return []

    def _began(self, event: AmiEvent) -> list[RecordingNote]:
        uid, name = event.get("Uniqueid"), safe_name(event.get("Value"))
        if name is None:
            self.refused += bool(event.get("Value"))
            return []
        files = self._files.setdefault(uid, [])
        if not uid or name in files:
            return []
        files.append(name)
        channel = event.get("Channel")
        received, sent = direction_files(name)
        linkedid = event.get("Linkedid") or uid
        on_agent = bool(self._agent.match(channel))
        return [RecordingBegan(linkedid, channel, name, received, sent, on_agent, event.time)]

    def _ended(self, uid: str, at: float) -> list[RecordingNote]:
        files = self._files.pop(uid, None)
        return [RecordingEnded(tuple(files), at)] if files else []

    def _resync(self, resync: Resync) -> list[RecordingNote]:
        """Channels gone while the bridge was not listening have stopped recording."""
        alive = {channel.get("Uniqueid") for channel in resync.channels}
        gone = [uid for uid in self._files if uid not in alive]
        return [note for uid in gone for note in self._ended(uid, resync.time)]

    def __len__(self) -> int:
        return len(self._files)
