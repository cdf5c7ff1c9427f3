"""The live decoder's child process: `python -m cti.live.decode_child`.

stdin: one side of a call as it comes, 8 kHz signed linear 16-bit little-endian mono (what
AudioSocket delivers). stdout: one JSON object a line, as soon as it is known:
  {"kind": "ready"}                                 the model is loaded
  {"kind": "partial", "utt": N, "text": "...", "at": S}   the words of utterance N so far
  {"kind": "final", "utt": N, "text": "...", "start": S, "end": S, "at": S,
   "words": [[word, start, end], ...]}              the utterance ended (a pause)
Times (S) are seconds of this stream's audio; `at` is how much audio had been read when the
line was written. pocketsphinx decodes as the audio comes (a voice activity endpointer cuts
utterances at pauses, partial hypotheses give the words before the pause). It runs in its own
process so a decoder that takes a core, or crashes, costs the bridge's event loop nothing.
"""

from __future__ import annotations

import array
import json
import sys
from typing import Any, BinaryIO, TextIO

SOURCE_RATE = 8000
RATE = 16000
FRAMES_PER_SECOND = 100
READ_BYTES = 640  # 40 ms of 8 kHz audio
HYP_EVERY_FRAMES = 5
"""The partial hypothesis is asked every 5 endpointer frames (150 ms): asking costs a search."""
FILLERS = frozenset({"<s>", "</s>", "<sil>", "<unk>"})


def _is_word(raw: str) -> bool:
    return raw not in FILLERS and not raw.startswith(("++", "[", "<"))


def _word(raw: str) -> str:
    return raw.split("(", 1)[0]


class Upsampler:
    """8 kHz to 16 kHz by linear interpolation, carried across chunks."""

    def __init__(self) -> None:
        self._last: int | None = None

    def __call__(self, pcm: bytes) -> bytes:
        samples = array.array("h", pcm[: len(pcm) // 2 * 2])
        if sys.byteorder == "big":
            samples.byteswap()
        out = array.array("h")
        previous = self._last
        for sample in samples:
            if previous is not None:
                out.append((previous + sample) // 2)
            out.append(sample)
            previous = sample
        self._last = previous
        if sys.byteorder == "big":
            out.byteswap()
        return out.tobytes()


class StreamDecoder:
    """Feed audio with `feed`; it returns the lines (dicts as above) that audio completed."""

    def __init__(self) -> None:
        from pocketsphinx import Decoder, Endpointer

        self._decoder: Any = Decoder(samprate=RATE, loglevel="FATAL")
        self._endpointer: Any = Endpointer(sample_rate=RATE)
        self._frame = int(self._endpointer.frame_bytes)
        self._up = Upsampler()
        self._pending = b""
        self._read_seconds = 0.0
        self._utt = 0
        self._partial = ""
        self._utt_start = 0.0
        self._utt_audio = bytearray()
        self._since_hyp = 0

    def feed(self, pcm: bytes) -> list[dict[str, Any]]:
        self._read_seconds += len(pcm) / (2 * SOURCE_RATE)
        self._pending += self._up(pcm)
        out: list[dict[str, Any]] = []
        while len(self._pending) >= self._frame:
            frame, self._pending = self._pending[: self._frame], self._pending[self._frame :]
            out.extend(self._step(frame))
        return out

    def finish(self) -> list[dict[str, Any]]:
        """The end of the stream: the utterance in progress, if any, ends."""
        ep = self._endpointer
        was_in_speech = bool(ep.in_speech)
        pad = self._pending + bytes(self._frame - len(self._pending) % self._frame)
        speech = ep.end_stream(pad[: self._frame])
        if speech is not None and was_in_speech:
            self._utt_audio += speech
            self._decoder.process_raw(speech)
        return [self._final()] if was_in_speech else []

    def _step(self, frame: bytes) -> list[dict[str, Any]]:
        ep = self._endpointer
        was_in_speech = bool(ep.in_speech)
        speech = ep.process(frame)
        if speech is None:
            return []
        if not was_in_speech:
            self._decoder.start_utt()
            self._utt_start = float(ep.speech_start)
            self._partial = ""
            self._utt_audio = bytearray()
        self._utt_audio += speech
        self._decoder.process_raw(speech)
        if not ep.in_speech:
            return [self._final()]
        self._since_hyp += 1
        if self._since_hyp < HYP_EVERY_FRAMES:
            return []
        self._since_hyp = 0
        hyp = self._decoder.hyp()
        text = _clean(hyp.hypstr) if hyp is not None else ""
        if text and text != self._partial:
            self._partial = text
            return [{"kind": "partial", "utt": self._utt, "text": text, "at": self._at()}]
        return []

    def _final(self) -> dict[str, Any]:
        """The utterance decoded again whole (as the post-call transcript does: its
        normalisation over the whole utterance hears better than the running one)."""
        self._decoder.end_utt()
        self._decoder.start_utt()
        self._decoder.process_raw(bytes(self._utt_audio), full_utt=True)
        self._decoder.end_utt()
        offset = self._utt_start
        words = [
            [_word(seg.word), round(offset + seg.start_frame / FRAMES_PER_SECOND, 3),
             round(offset + (seg.end_frame + 1) / FRAMES_PER_SECOND, 3)]
            for seg in self._decoder.seg()
            if _is_word(seg.word)
        ]  # fmt: skip
        line = {
            "kind": "final", "utt": self._utt, "text": " ".join(w[0] for w in words),
            "start": words[0][1] if words else offset, "end": words[-1][2] if words else offset,
            "at": self._at(), "words": words,
        }  # fmt: skip
        self._utt += 1
        self._partial = ""
        return line

    def _at(self) -> float:
        return round(self._read_seconds, 3)


def _clean(hypstr: str) -> str:
    return " ".join(_word(w) for w in hypstr.split() if _is_word(w))


def run(source: BinaryIO, sink: TextIO) -> None:
    decoder = StreamDecoder()
    _emit(sink, {"kind": "ready"})
    while True:
        chunk = source.read1(READ_BYTES) if hasattr(source, "read1") else source.read(READ_BYTES)
        if not chunk:
            break
        for line in decoder.feed(chunk):
            _emit(sink, line)
    for line in decoder.finish():
        _emit(sink, line)


def _emit(sink: TextIO, line: dict[str, Any]) -> None:
    if line.get("kind") == "final" and not line.get("text"):
        return  # noise the endpointer took for speech: no words, no line
    sink.write(json.dumps(line) + "\n")
    sink.flush()


if __name__ == "__main__":  # pragma: no cover - the child's entry point
    run(sys.stdin.buffer, sys.stdout)
