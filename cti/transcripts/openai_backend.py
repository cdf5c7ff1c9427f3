"""Speech-to-text from an OpenAI-compatible `/v1/audio/transcriptions` endpoint (a provider, or
a self-hosted server such as whisper.cpp's or faster-whisper-server). Asks for `verbose_json`
to get timed segments; a server that answers with text only gives one line for the file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx

from cti.transcripts.openai_api import api_base, auth_headers
from cti.transcripts.settings import TranscriptSettings
from cti.transcripts.speech import Segment, TranscriptionError
from cti.transcripts.wav import duration_seconds


def segments_of(body: Any, audio: Path) -> list[Segment]:
    if not isinstance(body, dict):
        raise TranscriptionError("the transcription server answered no JSON object")
    segments = body.get("segments")
    if isinstance(segments, list) and segments:
        return [_segment(item) for item in segments if str(item.get("text", "")).strip()]
    text = str(body.get("text", "")).strip()
    return [Segment(0.0, duration_seconds(audio), text)] if text else []


def _segment(item: dict[str, Any]) -> Segment:
    try:
        return Segment(float(item["start"]), float(item["end"]), str(item["text"]).strip())
    except (KeyError, TypeError, ValueError) as exc:
        raise TranscriptionError(f"a segment without start/end/text: {item!r:.200}") from exc


class OpenAiTranscription:
    name = "openai"

    def __init__(self, settings: TranscriptSettings) -> None:
        self._url = api_base(settings.url) + "/audio/transcriptions"
        self._model = settings.model
        self._language = settings.language
        self._client = httpx.AsyncClient(
            timeout=settings.timeout_seconds, headers=auth_headers(settings.token)
        )

    async def transcribe(self, audio: Path) -> list[Segment]:
        data = {"model": self._model, "response_format": "verbose_json"}
        if self._language:
            data["language"] = self._language
        try:
            with audio.open("rb") as file:
                files = {"file": (audio.name, file, "audio/wav")}
                answer = await self._client.post(self._url, data=data, files=files)
            answer.raise_for_status()
            return segments_of(answer.json(), audio)
        except (httpx.HTTPError, ValueError) as exc:
            raise TranscriptionError(f"transcription server: {exc}"[:400]) from exc

    async def close(self) -> None:
        await self._client.aclose()
