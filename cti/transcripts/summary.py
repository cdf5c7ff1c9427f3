"""A short summary and a suggested wrap-up note from an OpenAI-compatible chat endpoint
(`/v1/chat/completions`), only when one is configured (CTI_SUMMARY_URL): without one the card
shows no summary at all, nothing pretends to be one.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

import httpx

from crm_core.services.transcript_jobs import Line, Summary
from cti.transcripts.openai_api import api_base, auth_headers
from cti.transcripts.settings import SummarySettings

INSTRUCTIONS = (
    "You read the transcript of a phone call between a contact centre agent and a caller. "
    'Answer with a JSON object {"summary": "...", "wrapup_note": "..."}: the summary in at '
    "most three sentences, the wrap-up note one line the agent can save on the client's card. "
    "Write in the language of the call."
)
MAX_TRANSCRIPT_CHARS = 24_000


class SummaryError(Exception):
    pass


def transcript_text(lines: Sequence[Line]) -> str:
    text = "\n".join(f"[{line.start_ms // 1000}s] {line.speaker}: {line.text}" for line in lines)
    return text[:MAX_TRANSCRIPT_CHARS]


def parse_answer(body: object, model: str) -> Summary:
    try:
        content = body["choices"][0]["message"]["content"]  # type: ignore[index]
    except (KeyError, IndexError, TypeError) as exc:
        raise SummaryError("the chat server's answer has no choices[0].message.content") from exc
    try:
        fields = json.loads(content)
    except (TypeError, ValueError):
        fields = None
    if isinstance(fields, dict) and str(fields.get("summary", "")).strip():
        return Summary(
            str(fields["summary"]).strip(), str(fields.get("wrapup_note", "")).strip(), model
        )
    text = str(content).strip()
    if not text:
        raise SummaryError("the chat server wrote an empty summary")
    return Summary(text, "", model)


class ChatSummariser:
    def __init__(self, settings: SummarySettings) -> None:
        self._url = api_base(settings.url) + "/chat/completions"
        self._model = settings.model
        self._client = httpx.AsyncClient(
            timeout=settings.timeout_seconds, headers=auth_headers(settings.token)
        )

    async def summarise(self, lines: Sequence[Line]) -> Summary:
        request = {
            "model": self._model,
            "messages": [
                {"role": "system", "content": INSTRUCTIONS},
                {"role": "user", "content": transcript_text(lines)},
            ],
            "response_format": {"type": "json_object"},
            "temperature": 0.2,
        }
        try:
            answer = await self._client.post(self._url, json=request)
            answer.raise_for_status()
            return parse_answer(answer.json(), self._model)
        except (httpx.HTTPError, ValueError) as exc:
            raise SummaryError(f"chat server: {exc}"[:400]) from exc

    async def close(self) -> None:
        await self._client.aclose()
