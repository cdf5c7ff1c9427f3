"""A stored call with a recording file in the test's recordings directory."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from crm_core.services import Services
from crm_core.services.dto import CallOut
from crm_core.services.dto.recordings import RecordingOut, RecordingStart, Speaker
from tests.crm_core.conftest import SYSTEM, call_record
from tests.recordings.wav import write_wav


async def recorded_call(
    services: Services, linkedid: str, *, seconds: float = 1.0, closed: bool = True,
    stopped: bool = True, age_days: float = 0.0, queue: str = "", answered_by: str = "1001",
    sides: bool = True, **fields: object,
) -> tuple[CallOut, RecordingOut]:  # fmt: skip
    at = datetime.now(UTC) - timedelta(days=age_days)
    call = await services.calls.register(
        SYSTEM,
        call_record(linkedid, answered_by=answered_by, queue=queue, started_at=at,
                    answered_at=at, disposition="answered", recording=f"{linkedid}.wav",
                    **fields),
    )  # fmt: skip
    root: Path = services.settings.recordings_dir
    write_wav(root / f"{linkedid}.wav", seconds, closed=closed)
    if sides:
        write_wav(root / f"{linkedid}-rx.wav", seconds)
        write_wav(root / f"{linkedid}-tx.wav", seconds)
    start = RecordingStart(
        linkedid=linkedid, file_name=f"{linkedid}.wav", received_file=f"{linkedid}-rx.wav",
        sent_file=f"{linkedid}-tx.wav", received_speaker=Speaker.CLIENT,
        sent_speaker=Speaker.AGENT, channel="PJSIP/trunk-00000001", at=at,
    )  # fmt: skip
    recording = await services.recording_log.started(start)
    if stopped:
        recording = await services.recording_log.stopped(start.file_name, at) or recording
    return call, recording
