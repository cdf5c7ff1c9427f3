"""Spoken sentences for the transcript tests: espeak-ng (Debian's package, `make provision`)
writes a WAV, kept as the PBX writes recordings: 8 kHz mono 16-bit."""

from __future__ import annotations

import array
import shutil
import subprocess
import wave
from pathlib import Path

from cti.transcripts.wav import read_pcm16, resample

CALLER_SENTENCE = "my invoice is wrong and I need a refund"
CALLER_KEY_WORDS = ("wrong", "refund")
AGENT_SENTENCE = "I am sorry I will send you a new invoice today"
PBX_RATE = 8000


def speak(text: str, path: Path, rate: int = PBX_RATE, pause_seconds: float = 0.0) -> Path:
    """`text` spoken into `path` at `rate`, after `pause_seconds` of silence."""
    espeak = shutil.which("espeak-ng")
    assert espeak, "espeak-ng is missing: run `make provision` (Debian package espeak-ng)"
    raw = path.with_suffix(".espeak.wav")
    subprocess.run([espeak, "-v", "en-us", "-s", "130", "-w", str(raw), text], check=True)
    samples, source = read_pcm16(raw)
    raw.unlink()
    converted = array.array("h", bytes(2 * int(rate * pause_seconds))) + resample(
        samples, source, rate
    )
    with wave.open(str(path), "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(2)
        writer.setframerate(rate)
        writer.writeframes(converted.tobytes())
    return path


def word_accuracy(reference: str, heard: str) -> float:
    """1 - word error rate (Levenshtein over words), floored at 0."""
    ref, hyp = reference.lower().split(), heard.lower().split()
    row = list(range(len(hyp) + 1))
    for i, word in enumerate(ref, 1):
        previous, row[0] = row[0], i
        for j, other in enumerate(hyp, 1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (word != other))
    return max(0.0, 1 - row[len(hyp)] / max(1, len(ref)))
