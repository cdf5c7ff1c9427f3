"""What every speech-to-text backend answers: timed lines of one audio file (one speaker's
side of the call, or the mixed recording)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol


@dataclass(frozen=True, slots=True)
class Segment:
    start: float
    end: float
    """Seconds from the start of the file."""
    text: str


class SpeechToText(Protocol):
    name: str

    async def transcribe(self, audio: Path) -> list[Segment]: ...

    async def close(self) -> None: ...


class TranscriptionError(Exception):
    """The backend could not transcribe the file (worth another try later)."""
