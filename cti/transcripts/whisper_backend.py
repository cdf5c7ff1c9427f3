"""faster-whisper (a Whisper-class local engine) with a model folder the admin provides. The
package is imported only when this backend is chosen, and it is not installed here: the tests
cover the choice and the missing-package message, not the engine (see README "Transcripts").
"""

from __future__ import annotations

import asyncio
import importlib
from pathlib import Path
from typing import Any

from cti.transcripts.speech import Segment, TranscriptionError


class BackendUnavailableError(Exception):
    """The chosen backend cannot start (a package or a model folder missing)."""


class FasterWhisper:
    name = "faster-whisper"

    def __init__(self, model_dir: str, language: str) -> None:
        if not model_dir or not Path(model_dir).is_dir():
            raise BackendUnavailableError(
                f"CTI_TRANSCRIBE_MODEL_DIR {model_dir!r} is not a folder holding a model"
            )
        try:
            module = importlib.import_module("faster_whisper")
        except ImportError as exc:
            raise BackendUnavailableError(
                "faster-whisper is not installed: pip install faster-whisper"
            ) from exc
        self._model: Any = module.WhisperModel(model_dir, device="cpu", compute_type="int8")
        self._language = language or None

    def _run(self, audio: Path) -> list[Segment]:
        segments, _info = self._model.transcribe(str(audio), language=self._language)
        return [Segment(float(s.start), float(s.end), str(s.text).strip()) for s in segments]

    async def transcribe(self, audio: Path) -> list[Segment]:
        try:
            return await asyncio.to_thread(self._run, audio)
        except (RuntimeError, ValueError, OSError) as exc:
            raise TranscriptionError(f"faster-whisper: {exc}") from exc

    async def close(self) -> None:
        return None
