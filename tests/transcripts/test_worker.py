"""The worker end to end on the database (SQLite and PostgreSQL) with the offline engine: a
call's two sides transcribed per speaker, the card's progress, a keyword rule flagging the
call and telling supervisors, retries while the file is missing, failed for good after them."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import timedelta

import httpx

from crm_core.models.base import utcnow
from crm_core.models.enums import Role
from crm_core.recordings.files import RecordingFiles
from crm_core.services import Services
from crm_core.services.dto import CallOut
from crm_core.services.dto.transcripts import FlagOut, KeywordRuleCreate, TranscriptOut
from crm_core.services.transcript_access import (
    keyword_rules_of,
    transcript_jobs_of,
    transcripts_of,
)
from cti.ami.metrics import Counters
from cti.transcripts.audio import RecordedCallAudio
from cti.transcripts.pocketsphinx_backend import PocketSphinx
from cti.transcripts.settings import SummarySettings, TranscriptSettings
from cti.transcripts.summary import ChatSummariser
from cti.transcripts.worker import TranscriptWorker
from tests.crm_core.conftest import SYSTEM
from tests.fixtures.db import LoginAs
from tests.transcripts.conftest import RecordedCall
from tests.transcripts.local_server import local_server

Alerts = list[tuple[CallOut, Sequence[FlagOut]]]


def _worker(
    services: Services, alerts: Alerts, summariser: ChatSummariser | None = None,
    **settings: object,
) -> TranscriptWorker:  # fmt: skip
    async def alert(call: CallOut, flags: Sequence[FlagOut]) -> None:
        alerts.append((call, flags))

    audio = RecordedCallAudio(services.sessions, RecordingFiles(services.settings.recordings_dir))
    return TranscriptWorker(
        transcript_jobs_of(services), services.calls.get, audio, PocketSphinx(),
        keyword_rules_of(services), alert, TranscriptSettings.model_validate(settings), Counters(),
        summariser,
    )  # fmt: skip


async def test_the_two_sides_become_lines_per_speaker_on_the_card(
    services: Services, api_client: httpx.AsyncClient, login_as: LoginAs,
    recorded_call: RecordedCall,
) -> None:  # fmt: skip
    agent = await login_as(Role.AGENT, extensions=["1001"])
    other = await login_as(Role.AGENT, extensions=["1002"])
    await keyword_rules_of(services).create(SYSTEM, KeywordRuleCreate(keyword="refund"))
    await keyword_rules_of(services).create(SYSTEM, KeywordRuleCreate(keyword="lawyer"))
    call_id = await recorded_call("w.1")
    url = f"/api/calls/{call_id}/transcript"
    none = (await api_client.get(url, headers=agent.headers)).json()
    assert none["state"] == "none"
    await transcript_jobs_of(services).queue_recorded()
    queued = (await api_client.get(url, headers=agent.headers)).json()
    assert (queued["state"], queued["lines"], queued["summary"]) == ("queued", [], None)
    assert (await api_client.get(url, headers=other.headers)).status_code == 404
    alerts: Alerts = []
    worker = _worker(services, alerts)
    try:
        assert await worker.round()
        assert not await worker.round()
    finally:
        await worker.stop()
    done = (await api_client.get(url, headers=agent.headers)).json()
    assert (done["state"], done["attempts"], done["summary"]) == ("done", 1, None)
    by_speaker = {line["speaker"]: line for line in done["lines"]}
    assert set(by_speaker) == {"caller", "agent"}
    assert by_speaker["caller"]["start_ms"] < by_speaker["agent"]["start_ms"]  # agent 3.5 s later
    caller_lines = [line["text"] for line in done["lines"] if line["speaker"] == "caller"]
    caller_words = " ".join(caller_lines).split()
    assert "refund" in caller_words
    assert [flag["keyword"] for flag in done["flags"]] == ["refund"]
    assert done["flags"][0]["speaker"] == "caller"
    assert [(call.id, [f.keyword for f in flags]) for call, flags in alerts] == [
        (call_id, ["refund"])
    ]


async def test_a_missing_file_is_retried_then_failed_for_good(
    services: Services, recorded_call: RecordedCall
) -> None:
    call_id = await recorded_call("w.2", sides=False)
    (services.settings.recordings_dir / "w.2.wav").unlink()  # gone after it was complete
    jobs = transcript_jobs_of(services)
    worker = _worker(services, [], max_attempts=2, retry_base_seconds=60)
    try:
        assert await worker.round()
        assert not await worker.round()  # waits for its backoff
        assert (await jobs.backlog())["queued"] == 1
        assert await worker.round(now=utcnow() + timedelta(seconds=200))
    finally:
        await worker.stop()
    transcript = await _transcript(services, call_id)
    assert (transcript.state, transcript.attempts) == ("failed", 2)
    assert f"call {call_id} has no complete recording in" in transcript.error


async def test_a_mixed_recording_is_transcribed_as_both_sides(
    services: Services, recorded_call: RecordedCall
) -> None:
    call_id = await recorded_call("w.3", sides=False)
    worker = _worker(services, [])
    try:
        assert await worker.round()
    finally:
        await worker.stop()
    transcript = await _transcript(services, call_id)
    assert transcript.state == "done"
    assert {line.speaker for line in transcript.lines} == {"both"}
    assert "refund" in " ".join(line.text for line in transcript.lines).split()


async def _transcript(services: Services, call_id: int) -> TranscriptOut:
    return await transcripts_of(services).of_call(SYSTEM, call_id)


async def test_a_configured_chat_model_writes_the_summary_on_the_card(
    services: Services, recorded_call: RecordedCall
) -> None:
    call_id = await recorded_call("w.4")
    content = json.dumps({"summary": "The invoice was wrong.", "wrapup_note": "Send a refund"})
    answer = {"choices": [{"message": {"role": "assistant", "content": content}}]}
    with local_server([(200, answer)]) as server:
        worker = _worker(services, [], ChatSummariser(SummarySettings(url=server.url)))
        try:
            assert await worker.round()
        finally:
            await worker.stop()
    transcript = await _transcript(services, call_id)
    assert transcript.summary is not None
    assert (transcript.summary.summary, transcript.summary.wrapup_note) == (
        "The invoice was wrong.", "Send a refund",
    )  # fmt: skip
    sent = json.loads(server.received[0].body)["messages"][1]["content"]
    assert "caller:" in sent
    assert "agent:" in sent
