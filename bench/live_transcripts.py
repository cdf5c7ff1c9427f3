"""The live transcript (cti/live/): how soon a spoken word reaches the agent's socket, and how
many calls' sides one core decodes at once in real time.

Asterisk's side is played over real TCP by tests/live/fake_asterisk.py at the pace of a call
(20 ms frames): the caller's channel says the end-to-end test's sentence (espeak-ng, 8 kHz)
ROUNDS times with a pause after each, the agent's side is silence; the bridge's runtime
(AudioSocket server, one decoding process a side, the bus) runs as under `cti serve`, and its
frames are timed where `/ws/agent` reads them (the bus subscription; the websocket's own send
is not included).

  - delay: for each word of the sentence (its end in the audio: pocketsphinx's own word times
    on the clean file, decoded whole), from the moment that word's end was sent to the first
    frame whose text has the word; p50 / p95 over the words heard, and how many were heard;
  - an utterance's final line: from the end of its audio to its frame (the endpointer's pause,
    then the utterance decoded whole): a decoder that falls behind makes this grow;
  - one core: the bench and its decoding processes pinned to one CPU, N sides at once
    (N = 1, 2, 3, ...) each saying the sentence; a step "keeps up" when no side stopped and
    the final lines' p95 stays under --max-p95 seconds; the ramp stops at the first that does
    not;
  - the baseline of the same run: the post-call decoder's CPU per second of audio on the same
    sentence (decoded whole, once); the live decoder's CPU per second of audio as a ratio of it.

    python bench/live_transcripts.py [--rounds 4] [--max-sides 8] [--max-p95 2.0]

Not a test: nothing is asserted. The machine is shared: the load average is printed.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import resource
import sys
import tempfile
import time
import wave
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cti.ami.metrics import Counters
from cti.bus.base import Message, agent_topic
from cti.bus.memory import MemoryBus
from cti.live.runtime import LiveTranscripts
from cti.live.settings import LiveSettings
from cti.state.config import DEFAULT_AGENT_REGEX
from cti.state.events import AmiEvent
from cti.transcripts.pocketsphinx_backend import FILLERS, FRAMES_PER_SECOND
from cti.transcripts.wav import pcm16k
from tests.fixtures.bridge import wait_until
from tests.live.fake_asterisk import FakeAsterisk
from tests.transcripts.spoken import CALLER_SENTENCE, speak

PAUSE = 1.5  # seconds of silence after each sentence


def reference_words(path: Path) -> list[tuple[str, float]]:
    """(word, end in seconds) of the clean file, decoded whole by pocketsphinx."""
    from pocketsphinx import Decoder

    decoder = Decoder(samprate=16000, loglevel="FATAL")
    decoder.start_utt()
    decoder.process_raw(pcm16k(path), full_utt=True)
    decoder.end_utt()
    return [
        (seg.word.split("(")[0], (seg.end_frame + 1) / FRAMES_PER_SECOND)
        for seg in decoder.seg()
        if seg.word not in FILLERS and not seg.word.startswith(("++", "[", "<"))
    ]


def baseline_cpu_per_audio_second(path: Path, seconds: float) -> float:
    from pocketsphinx import Decoder

    decoder = Decoder(samprate=16000, loglevel="FATAL")
    audio = pcm16k(path)
    start = time.process_time()
    decoder.start_utt()
    decoder.process_raw(audio, full_utt=True)
    decoder.end_utt()
    return (time.process_time() - start) / seconds


def events(n: int) -> list[AmiEvent]:
    out = []
    for i in range(n):
        linkedid, bridge = f"bench.{i}", f"bridge-{i}"
        for channel, uid in ((f"PJSIP/trunk-{i:08x}", f"{i}.1"),
                             (f"PJSIP/{1001 + i % 900}-{i:08x}", f"{i}.2")):  # fmt: skip
            out.append(AmiEvent.from_headers({
                "Event": "BridgeEnter", "BridgeUniqueid": bridge, "Channel": channel,
                "Uniqueid": uid, "Linkedid": linkedid,
            }))  # fmt: skip
    return out


async def run_step(calls: int, audio: bytes, sentence_seconds: float,
                   words: list[tuple[str, float]], rounds: int) -> dict[str, Any]:  # fmt: skip
    bus = MemoryBus()
    topics = {agent_topic(str(1001 + i % 900)) for i in range(calls)}
    subscription = await bus.subscribe(topics)
    frames: list[tuple[float, Message]] = []

    async def read() -> None:
        async for _topic, message in subscription:
            frames.append((time.monotonic(), message))

    reader = asyncio.create_task(read())
    asterisk = FakeAsterisk(lambda ch: audio if "trunk" in ch else bytes(len(audio)))
    metrics = Counters()
    settings = LiveSettings(transcript=True, listen_port=0, max_calls=calls)
    live = LiveTranscripts(settings, DEFAULT_AGENT_REGEX, asterisk, bus, None, None, metrics)
    await live.start()
    children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    try:
        for event in events(calls):
            live.observe(event)
        await wait_until(lambda: len(asterisk.sent) == 2 * calls, 30, "the copies asked for")
        await asyncio.gather(*(s.done.wait() for s in asterisk.sent))
        for i in range(calls):  # the calls end with their audio: Asterisk's Hangup events
            live.observe(AmiEvent.from_headers({"Event": "Hangup", "Uniqueid": f"{i}.2"}))
        with contextlib.suppress(AssertionError):  # the last lines: at most 20 s more
            await wait_until(lambda: not live.calls, 20, "the decoders to finish")
    finally:
        await live.stop()
        await asterisk.close()
        reader.cancel()
        await subscription.close()
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (children.ru_utime - children_before.ru_utime) + (
        children.ru_stime - children_before.ru_stime
    )
    delays: list[float] = []
    finals: list[float] = []  # from the end of an utterance's audio to its final frame
    heard = 0
    for sent in asterisk.sent:
        if "trunk" not in sent.channel:
            continue
        linkedid = f"bench.{int(sent.channel.rsplit('-', 1)[1], 16)}"
        mine = [(at, m) for at, m in frames if m.get("linkedid") == linkedid
                and m["type"] == "live_transcript"]  # fmt: skip
        finals.extend(at - (sent.started_at + m["end_ms"] / 1000) for at, m in mine
                      if m["final"])  # fmt: skip
        for r in range(rounds):
            begins = sent.started_at + r * (sentence_seconds + PAUSE)
            this_round = [(at, m) for at, m in mine if begins <= at < begins + sentence_seconds
                          + PAUSE + 5]  # fmt: skip
            for word, end in words:
                said_at = begins + end
                first = next((at for at, m in this_round if word in m["text"].split()), None)
                if first is not None:
                    heard += 1
                    delays.append(first - said_at)
    total = calls * rounds * len(words)
    behind = sum(v for k, v in metrics.as_dict().items() if k.startswith("live.stopped."))
    audio_seconds = calls * len(audio) / 16000  # the speaking sides' (the silent cost ~nothing)
    return {
        "calls": calls, "heard": heard, "words": total, "delays": delays, "stopped": behind,
        "finals": finals,
        "cpu_per_audio_second": cpu / audio_seconds,
    }  # fmt: skip


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--max-sides", type=int, default=8, help="the ramp's last step (calls)")
    parser.add_argument(
        "--max-p95",
        type=float,
        default=2.0,
        help="final lines' p95 seconds after the audio that still keeps up",
    )
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="live-bench-"))
    path = speak(CALLER_SENTENCE, folder / "sentence.wav")
    with wave.open(str(path)) as reader:
        one = reader.readframes(reader.getnframes())
    sentence_seconds = len(one) / 16000
    audio = (one + bytes(int(2 * 8000 * PAUSE))) * args.rounds
    words = reference_words(path)
    baseline = baseline_cpu_per_audio_second(path, sentence_seconds)
    load = os.getloadavg()[0]
    said = f"{sentence_seconds:.2f} s + {PAUSE} s pause"
    print(f"load average {load:.1f} on {os.cpu_count()} cores; {args.rounds} x '{CALLER_SENTENCE}'"
          f" ({said})")  # fmt: skip
    print(f"reference words (clean file, decoded whole): {' '.join(w for w, _ in words)}")
    print(f"baseline: post-call decoder {baseline:.3f} CPU s per audio second")
    step = await run_step(1, audio, sentence_seconds, words, args.rounds)
    d = step["delays"]
    print(f"one call: words heard live {step['heard']}/{step['words']}; delay from the word's "
          f"end to its frame p50 {percentile(d, 0.5):.2f} s, p95 {percentile(d, 0.95):.2f} s; "
          f"live decoder {step['cpu_per_audio_second']:.3f} CPU s per second a speaking side said "
          f"({step['cpu_per_audio_second'] / baseline:.2f}x the baseline)")  # fmt: skip
    core = sorted(os.sched_getaffinity(0))[-1]
    os.sched_setaffinity(0, {core})  # the decoding children inherit it
    f = step["finals"]
    print(f"  an utterance's final line came p50 {percentile(f, 0.5):.2f} s, p95 "
          f"{percentile(f, 0.95):.2f} s after its audio ended (the pause the endpointer waits"
          f" for, then the utterance decoded whole)")  # fmt: skip
    print(
        f"one core (CPU {core}), N calls = N caller sides speaking at once (+ N silent sides);"
        f" keeps up: no side stopped, final lines p95 <= {args.max_p95} s after the audio:"
    )
    kept = 0
    for calls in range(1, args.max_sides + 1):
        step = await run_step(calls, audio, sentence_seconds, words, args.rounds)
        d, f = step["delays"], step["finals"]
        p95 = percentile(f, 0.95)
        ok = step["stopped"] == 0 and bool(f) and p95 <= args.max_p95
        print(f"  N={calls}: words heard {step['heard']}/{step['words']}, word delay p50 "
              f"{percentile(d, 0.5):.2f} s p95 {percentile(d, 0.95):.2f} s; final lines p50 "
              f"{percentile(f, 0.5):.2f} s p95 {p95:.2f} s; stopped {step['stopped']}"
              f" -> {'keeps up' if ok else 'falls behind'}")  # fmt: skip
        if not ok:
            break
        kept = calls
    print(f"one core keeps up with {kept} speaking side(s) at once")


if __name__ == "__main__":
    asyncio.run(main())
