"""The audio files of a call's directions: the narrow interface the worker reads recordings
through (`CallAudioSource`), and its implementation on the call's complete recordings
(crm_core.services.transcript_audio, the recordings directory `CTI_RECORDINGS_DIR`).

MixMonitor's `r()` file holds what the recorded channel's party said and its `t()` file the
other side; the recordings table says who speaks in each. Without them the mixed file is
transcribed as "both".
"""

from __future__ import annotations

from typing import Protocol

from crm_core.db import Sessions
from crm_core.recordings.files import RecordingFiles
from crm_core.services.dto import CallOut
from crm_core.services.transcript_audio import AudioPart, audio_parts


class AudioNotReadyError(Exception):
    """The call has no complete recording (yet), or its files are gone: try again later."""


class CallAudioSource(Protocol):
    async def audio_of(self, call: CallOut) -> list[AudioPart]: ...


class RecordedCallAudio:
    def __init__(self, sessions: Sessions, files: RecordingFiles) -> None:
        self._sessions, self._files = sessions, files

    async def audio_of(self, call: CallOut) -> list[AudioPart]:
        parts = await audio_parts(self._sessions, self._files, call.id)
        if not parts:
            raise AudioNotReadyError(
                f"call {call.id} has no complete recording in {self._files.root}"
            )
        return parts
