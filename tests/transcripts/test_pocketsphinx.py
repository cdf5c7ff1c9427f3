"""The offline backend on a spoken sentence as the PBX records it (8 kHz): it hears the key
words, in timed lines, decoding in a child process."""

from __future__ import annotations

import wave
from pathlib import Path

import pytest

from cti.transcripts.pocketsphinx_backend import PocketSphinx, words_to_lines
from cti.transcripts.speech import TranscriptionError
from tests.transcripts.spoken import CALLER_KEY_WORDS, CALLER_SENTENCE, speak


async def test_hears_the_key_words_of_a_sentence_in_timed_lines(tmp_path: Path) -> None:
    audio = speak(CALLER_SENTENCE, tmp_path / "caller.wav", pause_seconds=1.0)
    backend = PocketSphinx()
    try:
        segments = await backend.transcribe(audio)
    finally:
        await backend.close()
    heard = " ".join(segment.text for segment in segments).split()
    assert set(CALLER_KEY_WORDS) <= set(heard), heard
    assert segments[0].start >= 0.8  # the second of silence first
    assert all(s.start < s.end for s in segments)
    assert [s.start for s in segments] == sorted(s.start for s in segments)


async def test_a_file_that_is_no_wav_is_a_transcription_error(tmp_path: Path) -> None:
    broken = tmp_path / "broken.wav"
    broken.write_bytes(b"RIFF not really")
    backend = PocketSphinx()
    try:
        with pytest.raises(TranscriptionError, match=r"broken\.wav"):
            await backend.transcribe(broken)
    finally:
        await backend.close()


def test_a_pause_or_a_long_run_of_words_starts_a_new_line() -> None:
    words = [("hello", 0.0, 0.4), ("there", 0.45, 0.8), ("invoice", 2.0, 2.5)]
    assert words_to_lines(words) == [(0.0, 0.8, "hello there"), (2.0, 2.5, "invoice")]
    many = [(f"w{i}", i * 0.1, i * 0.1 + 0.05) for i in range(20)]
    assert [len(text.split()) for _, _, text in words_to_lines(many)] == [14, 6]


async def test_a_silent_side_gives_no_lines(tmp_path: Path) -> None:
    """A phone that sends no audio is recorded as digital silence: no word is read into it."""
    silent = tmp_path / "silent.wav"
    with wave.open(str(silent), "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(2)
        writer.setframerate(8000)
        writer.writeframes(bytes(2 * 8000 * 5))
    backend = PocketSphinx()
    try:
        assert await backend.transcribe(silent) == []
    finally:
        await backend.close()
