"""Offline speech-to-text with pocketsphinx, whose wheel ships an English model (nothing to
download). Decoding is CPU work: it runs in a child process (one at a time), so the bridge's
event loop, and the AMI reader on it, never waits for it.

Words come with frame times (100 a second); a line ends at a pause of PAUSE_SECONDS or after
MAX_WORDS words. A side that is digital silence (a phone that sent no audio) gives no lines.
"""

from __future__ import annotations

import asyncio
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

from cti.transcripts.speech import Segment, TranscriptionError
from cti.transcripts.wav import UnreadableAudioError, is_silent, pcm16k

FRAMES_PER_SECOND = 100
PAUSE_SECONDS = 0.6
MAX_WORDS = 14
FILLERS = frozenset({"<s>", "</s>", "<sil>", "<unk>"})
"""Not words; nor are the model's noise classes ([NOISE], [SPEECH], ++GARBAGE++)."""
_decoder: Any = None


def _word(raw: str) -> str:
    """'can(2)' is the dictionary's second pronunciation of 'can'."""
    return raw.split("(", 1)[0]


def words_to_lines(words: list[tuple[str, float, float]]) -> list[tuple[float, float, str]]:
    lines: list[tuple[float, float, str]] = []
    current: list[tuple[str, float, float]] = []
    for word in words:
        if current and (word[1] - current[-1][2] >= PAUSE_SECONDS or len(current) >= MAX_WORDS):
            lines.append((current[0][1], current[-1][2], " ".join(w for w, _, _ in current)))
            current = []
        current.append(word)
    if current:
        lines.append((current[0][1], current[-1][2], " ".join(w for w, _, _ in current)))
    return lines


def decode_file(path: str) -> list[tuple[float, float, str]]:
    """In the child process: the file's lines as (start, end, text)."""
    global _decoder
    from pocketsphinx import Decoder

    if is_silent(Path(path)):
        return []
    if _decoder is None:
        _decoder = Decoder(samprate=16000, loglevel="FATAL")
    audio = pcm16k(Path(path))
    _decoder.start_utt()
    _decoder.process_raw(audio, full_utt=True)
    _decoder.end_utt()
    words = [
        (_word(seg.word), seg.start_frame / FRAMES_PER_SECOND, seg.end_frame / FRAMES_PER_SECOND)
        for seg in _decoder.seg()
        if seg.word not in FILLERS and not seg.word.startswith(("++", "[", "<"))
    ]
    return words_to_lines(words)


class PocketSphinx:
    name = "pocketsphinx"

    def __init__(self) -> None:
        self._pool: ProcessPoolExecutor | None = None

    def _executor(self) -> ProcessPoolExecutor:
        if self._pool is None:
            context = multiprocessing.get_context("spawn")
            self._pool = ProcessPoolExecutor(max_workers=1, mp_context=context)
        return self._pool

    async def transcribe(self, audio: Path) -> list[Segment]:
        loop = asyncio.get_running_loop()
        try:
            lines = await loop.run_in_executor(self._executor(), decode_file, str(audio))
        except UnreadableAudioError as exc:
            raise TranscriptionError(str(exc)) from exc
        except BrokenProcessPool as exc:
            self._pool = None  # the child died (out of memory?): a new one next time
            raise TranscriptionError("the decoding process died") from exc
        return [Segment(start, end, text) for start, end, text in lines]

    async def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
