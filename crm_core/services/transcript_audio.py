"""The audio files of a call's directions, from its complete recordings (`call_recordings`,
README "Recordings"): each recording's received and sent files with who speaks in each, or its
mixed file when the dialplan did not record the directions apart. Several recordings (after a
transfer) come in order, each with its offset from the call's first recording.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import and_, select

from crm_core.db import Sessions
from crm_core.models import Call, CallRecording
from crm_core.recordings.files import RecordingFiles
from crm_core.services.dto.recordings import RecordingStatus

SPEAKER_OF = {"client": "caller", "agent": "agent"}
"""The recordings' words for a side, as the transcript says them."""

SAME_CALL = and_(Call.linkedid == CallRecording.linkedid, Call.pbx == CallRecording.pbx)
"""A recording and its call: the same linkedid on the same PBX."""


@dataclass(frozen=True, slots=True)
class AudioPart:
    speaker: str
    """caller, agent, or both (a mixed file)."""
    path: Path
    offset_ms: int


def _parts(row: CallRecording, files: RecordingFiles, offset_ms: int) -> list[AudioPart]:
    sides = [(row.received_file, row.received_speaker), (row.sent_file, row.sent_speaker)]
    parts = [
        AudioPart(SPEAKER_OF.get(speaker, "both"), path, offset_ms)
        for name, speaker in sides
        if name and (path := files.path_of(name)) is not None and path.is_file()
    ]
    if parts:
        return parts
    mixed = files.path_of(row.file_name)
    return [AudioPart("both", mixed, offset_ms)] if mixed is not None and mixed.is_file() else []


async def audio_parts(sessions: Sessions, files: RecordingFiles, call_id: int) -> list[AudioPart]:
    """The call's complete recordings as parts to transcribe; [] when none is complete."""
    async with sessions() as session:
        rows = list(
            await session.scalars(
                select(CallRecording)
                .join(Call, SAME_CALL)
                .where(Call.id == call_id, CallRecording.status == RecordingStatus.COMPLETE.value)
                .order_by(CallRecording.started_at, CallRecording.id)
            )
        )
    if not rows:
        return []
    first = rows[0].started_at
    return [
        part
        for row in rows
        for part in _parts(row, files, round((row.started_at - first).total_seconds() * 1000))
    ]
