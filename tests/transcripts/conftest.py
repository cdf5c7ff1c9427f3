"""Fixtures of the transcript tests: calls with a complete recording whose two sides were
spoken (espeak-ng), in the test's recordings directory, as the recordings log stores them."""

from __future__ import annotations

import shutil
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from crm_core.services import Services
from crm_core.services.dto.recordings import RecordingStart, Speaker
from tests.crm_core.conftest import SYSTEM, call_record
from tests.transcripts.spoken import AGENT_SENTENCE, CALLER_SENTENCE, speak

RecordedCall = Callable[..., Awaitable[int]]


@pytest.fixture(scope="session")
def spoken_sides(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The caller's sentence, and the agent's 3.5 s later, at the PBX's 8 kHz."""
    folder = tmp_path_factory.mktemp("spoken")
    caller = speak(CALLER_SENTENCE, folder / "caller.wav")
    agent = speak(AGENT_SENTENCE, folder / "agent.wav", pause_seconds=3.5)
    return caller, agent


@pytest.fixture
def recorded_call(services: Services, spoken_sides: tuple[Path, Path]) -> RecordedCall:
    """`call_id = await recorded_call("l.1", sides=True, answered_by="1001")`: an ended call
    whose recording (mixed, and the two directions apart when `sides`) is complete."""

    async def record(linkedid: str, sides: bool = True, answered_by: str = "1001",
                     minutes: int = 5, complete: bool = True) -> int:  # fmt: skip
        at = datetime.now(UTC) - timedelta(minutes=minutes)
        call = await services.calls.register(SYSTEM, call_record(
            linkedid, answered_by=answered_by, started_at=at, answered_at=at,
            ended_at=at + timedelta(seconds=30), disposition="answered",
            recording=f"{linkedid}.wav",
        ))  # fmt: skip
        root = services.settings.recordings_dir
        root.mkdir(parents=True, exist_ok=True)
        caller, agent = spoken_sides
        if complete:
            shutil.copy(caller, root / f"{linkedid}.wav")
        if sides:
            shutil.copy(caller, root / f"{linkedid}-rx.wav")
            shutil.copy(agent, root / f"{linkedid}-tx.wav")
        start = RecordingStart(
            linkedid=linkedid, file_name=f"{linkedid}.wav", received_file=f"{linkedid}-rx.wav",
            sent_file=f"{linkedid}-tx.wav", received_speaker=Speaker.CLIENT,
            sent_speaker=Speaker.AGENT, channel="PJSIP/trunk-00000001", at=at,
        )  # fmt: skip
        await services.recording_log.started(start)
        await services.recording_log.stopped(start.file_name, at + timedelta(seconds=30))
        return call.id

    return record
