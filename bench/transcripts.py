"""Post-call transcription with the offline engine (pocketsphinx), on the sentence the sandbox's
end-to-end test speaks (tests/transcripts/spoken.py, espeak-ng).

Prints, for the sentence as the PBX records it (8 kHz, through G.711 mu-law like the carrier's
RTP) and, with --recording, for a real MixMonitor file the sandbox made of it:
  - word accuracy (1 - word error rate against the sentence),
  - seconds of audio decoded per second of CPU (the decoding process's CPU time),
  - the baseline of the same run: the CPU to read and resample the file alone, and the ratio.

    python bench/transcripts.py [--runs 5] [--recording /path/to/NAME-rx.wav]

Not a test: no figure is asserted. Say how loaded the machine was (load average is printed).
"""

from __future__ import annotations

import argparse
import array
import os
import sys
import tempfile
import time
import wave
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cti.sandbox.sip.rtp import ulaw
from cti.transcripts.pocketsphinx_backend import decode_file
from cti.transcripts.wav import duration_seconds, pcm16k, read_pcm16
from tests.transcripts.spoken import CALLER_SENTENCE, speak, word_accuracy


def ulaw_decode(byte: int) -> int:
    value = ~byte & 0xFF
    sign, exponent, mantissa = value & 0x80, (value >> 4) & 0x07, value & 0x0F
    magnitude = ((mantissa << 3) + 0x84) << exponent
    return -(magnitude - 0x84) if sign else magnitude - 0x84


def through_g711(path: Path, out: Path) -> Path:
    """The file as the carrier's RTP carries it: every sample to mu-law and back."""
    samples, rate = read_pcm16(path)
    heard = array.array("h", (ulaw_decode(ulaw(sample)) for sample in samples))
    with wave.open(str(out), "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(2)
        writer.setframerate(rate)
        writer.writeframes(heard.tobytes())
    return out


def cpu_of(work: object, runs: int) -> float:
    """Median CPU seconds of `work()` over `runs` (this process: decode_file runs in it here)."""
    times = []
    for _ in range(runs):
        start = time.process_time()
        work()  # type: ignore[operator]
        times.append(time.process_time() - start)
    return sorted(times)[len(times) // 2]


def measure(label: str, path: Path, runs: int) -> None:
    lines = decode_file(str(path))
    heard = " ".join(text for _, _, text in lines)
    seconds = duration_seconds(path)
    decode = cpu_of(lambda: decode_file(str(path)), runs)
    baseline = cpu_of(lambda: pcm16k(path), runs)
    print(f"{label}: {seconds:.2f} s of audio")
    print(f"  heard:          {heard!r}")
    print(f"  word accuracy:  {word_accuracy(CALLER_SENTENCE, heard):.2f}")
    print(f"  decode CPU:     {decode:.3f} s -> {seconds / decode:.2f} s of audio per CPU second")
    print(
        f"  baseline (read + resample only): {baseline:.3f} s CPU;"
        f" decode = {decode / baseline:.1f}x baseline"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--recording", type=Path, help="a MixMonitor file of the sentence")
    args = parser.parse_args()
    print(
        f"sentence: {CALLER_SENTENCE!r};"
        f" load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )
    with tempfile.TemporaryDirectory() as folder:
        spoken = speak(CALLER_SENTENCE, Path(folder) / "sentence.wav", pause_seconds=0.5)
        measure("espeak-ng at 8 kHz", spoken, args.runs)
        measure(
            "the same through G.711 mu-law",
            through_g711(spoken, Path(folder) / "g711.wav"),
            args.runs,
        )
    if args.recording:
        measure(f"recorded by the sandbox ({args.recording.name})", args.recording, args.runs)


if __name__ == "__main__":
    main()
