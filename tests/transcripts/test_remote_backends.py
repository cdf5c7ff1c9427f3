"""The OpenAI-compatible clients against a real local HTTP server (no model runs in the tests):
`/v1/audio/transcriptions` for speech-to-text, `/v1/chat/completions` for the summary; and the
choice of backend by configuration, faster-whisper included (not installed here)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crm_core.services.transcript_jobs import Line, Summary
from cti.transcripts.backends import speech_backend
from cti.transcripts.openai_backend import OpenAiTranscription
from cti.transcripts.pocketsphinx_backend import PocketSphinx
from cti.transcripts.settings import SummarySettings, TranscriptSettings
from cti.transcripts.speech import Segment, TranscriptionError
from cti.transcripts.summary import ChatSummariser, SummaryError
from cti.transcripts.whisper_backend import BackendUnavailableError
from tests.transcripts.local_server import local_server
from tests.transcripts.spoken import speak

VERBOSE = {
    "text": "my invoice is wrong. I need a refund.",
    "segments": [
        {"id": 0, "start": 0.5, "end": 1.9, "text": " my invoice is wrong."},
        {"id": 1, "start": 2.2, "end": 3.1, "text": " I need a refund."},
    ],
}


async def _transcribe(url: str, audio: Path) -> list[Segment]:
    backend = OpenAiTranscription(TranscriptSettings(backend="openai", url=url, token="sk-test"))
    try:
        return await backend.transcribe(audio)
    finally:
        await backend.close()


async def test_transcriptions_endpoint_gives_timed_segments(tmp_path: Path) -> None:
    audio = speak("hello", tmp_path / "side.wav")
    with local_server([(200, VERBOSE)]) as server:
        segments = await _transcribe(server.url, audio)
    assert segments == [
        Segment(0.5, 1.9, "my invoice is wrong."),
        Segment(2.2, 3.1, "I need a refund."),
    ]
    sent = server.received[0]
    assert sent.path == "/v1/audio/transcriptions"
    assert sent.headers["Authorization"] == "Bearer sk-test"
    assert b'name="model"\r\n\r\nwhisper-1' in sent.body
    assert b'name="response_format"\r\n\r\nverbose_json' in sent.body
    assert audio.read_bytes() in sent.body


async def test_a_text_only_answer_is_one_line_and_an_error_is_retryable(tmp_path: Path) -> None:
    audio = speak("hello", tmp_path / "side.wav")
    with local_server([(200, {"text": "hello there"}), (503, {"error": "busy"})]) as server:
        (segment,) = await _transcribe(server.url + "/v1/", audio)
        assert (segment.start, segment.text) == (0.0, "hello there")
        assert segment.end > 0.3
        with pytest.raises(TranscriptionError, match="503"):
            await _transcribe(server.url, audio)


async def _summarise(url: str, lines: list[Line]) -> Summary:
    summariser = ChatSummariser(SummarySettings(url=url, model="local-llm"))
    try:
        return await summariser.summarise(lines)
    finally:
        await summariser.close()


def _chat(content: str) -> dict[str, object]:
    return {"choices": [{"index": 0, "message": {"role": "assistant", "content": content}}]}


async def test_summary_and_wrapup_note_from_the_chat_endpoint() -> None:
    lines = [Line("caller", 500, 1900, "my invoice is wrong"), Line("agent", 2500, 4000, "sorry")]
    answer = json.dumps(
        {"summary": "The client's invoice was wrong.", "wrapup_note": "Resend invoice"}
    )
    with local_server(
        [(200, _chat(answer)), (200, _chat("Plain words.")), (200, {"nope": 1})]
    ) as server:
        summary = await _summarise(server.url, lines)
        assert summary == Summary("The client's invoice was wrong.", "Resend invoice", "local-llm")
        request = json.loads(server.received[0].body)
        assert server.received[0].path == "/v1/chat/completions"
        assert request["model"] == "local-llm"
        assert "[0s] caller: my invoice is wrong" in request["messages"][1]["content"]
        assert await _summarise(server.url, lines) == Summary("Plain words.", "", "local-llm")
        with pytest.raises(SummaryError, match="choices"):
            await _summarise(server.url, lines)


def test_the_backend_is_chosen_by_configuration(tmp_path: Path) -> None:
    assert isinstance(speech_backend(TranscriptSettings(backend="pocketsphinx")), PocketSphinx)
    with pytest.raises(BackendUnavailableError, match="CTI_TRANSCRIBE_URL"):
        speech_backend(TranscriptSettings(backend="openai"))
    with pytest.raises(BackendUnavailableError, match="not a folder"):
        speech_backend(
            TranscriptSettings(backend="faster-whisper", model_dir=str(tmp_path / "none"))
        )
    with pytest.raises(BackendUnavailableError, match="pip install faster-whisper"):
        speech_backend(TranscriptSettings(backend="faster-whisper", model_dir=str(tmp_path)))
    with pytest.raises(BackendUnavailableError, match="off"):
        speech_backend(TranscriptSettings(backend="off"))
