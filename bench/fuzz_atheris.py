"""Coverage-guided fuzzing (atheris / libFuzzer) of the AMI reader, for a bounded number of runs.

    .venv/bin/pip install atheris   # a manylinux wheel on PyPI; not needed by anything else
    .venv/bin/python bench/fuzz_atheris.py [--runs 200000] [--max-len 1024]

Each input is split by libFuzzer's data provider into read boundaries, a size limit and the
bytes; they go through the read path as AmiClient wires it (CtiAmiProtocol -> panoramisk's
dispatch -> Intake), instrumented with cti.ami and panoramisk, and the same bytes framed in one
read must give the same messages. Seeds: the recorded Asterisk streams (tests/scenarios/*.ami).
A crash (exception or broken property) stops the run; its input is printed (libFuzzer's log).
The parent process runs the fuzzer as a child (libFuzzer exits the process) and prints a summary.
"""

from __future__ import annotations

import argparse
import itertools
import logging
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SCENARIOS = ROOT / "tests" / "scenarios"
DICTIONARY = (
    "\r\n", "\r\n\r\n", "\n\n", ": ", "Event", "Response", "ActionID", "Success", "Follows",
    "Asterisk Call Manager/", "resync-channels", "ping-1", "CoreShowChannelsComplete",
    "Shutdown", "Message", "EventList", "start", "\xc3", "\xe9",
)  # fmt: skip
_DONE = re.compile(r"Done (\d+) runs in (\d+) second")
_COVERAGE = re.compile(r"cov: (\d+) ft: (\d+)")


def child(argv: list[str]) -> None:
    import atheris  # type: ignore[import-untyped, import-not-found, unused-ignore]

    logging.disable(logging.CRITICAL)  # the reader logs each garbled line and dropped message
    with atheris.instrument_imports(include=["cti.ami", "panoramisk"]):
        from cti.ami.wire import MessageFramer
        from tests.fuzz.reader_harness import ReadPath

    # One read path per size limit (building one costs more than a run); a fresh framer each input.
    paths = {limit: ReadPath(max_message_chars=limit) for limit in (64, 64 * 1024)}

    def one_input(data: bytes) -> None:
        provider = atheris.FuzzedDataProvider(data)
        limit = 64 if provider.ConsumeBool() else 64 * 1024
        cuts = provider.ConsumeIntListInRange(provider.ConsumeIntInRange(0, 8), 1, 4096)
        payload = provider.ConsumeBytes(provider.remaining_bytes())
        edges = sorted({0, len(payload), *(c for c in cuts if c < len(payload))})
        chunks = [payload[a:b] for a, b in itertools.pairwise(edges)]
        path = paths[limit]
        path.protocol.framer = MessageFramer(limit)
        path.feed(chunks)
        whole, split = MessageFramer(limit), MessageFramer(limit)
        one_read = whole.feed(payload)
        if one_read != [m for chunk in chunks for m in split.feed(chunk)]:
            raise AssertionError(f"reads {edges} changed the messages of {payload!r}")

    atheris.Setup(argv, one_input)
    atheris.Fuzz()


def seed_corpus(folder: Path, max_len: int) -> None:
    """Slices of the recorded streams, each a few whole messages."""
    for path in sorted(SCENARIOS.glob("*.ami")):
        data = path.read_bytes()
        for n, start in enumerate(range(0, len(data), max_len)):
            (folder / f"{path.stem}-{n}").write_bytes(b"\x00\x00" + data[start : start + max_len])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=200_000)
    parser.add_argument("--max-len", type=int, default=1024)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args, rest = parser.parse_known_args()
    if args.child:
        child([sys.argv[0], *rest])
        return 0
    with tempfile.TemporaryDirectory(prefix="ami-fuzz-") as work:
        corpus, dictionary = Path(work) / "corpus", Path(work) / "ami.dict"
        corpus.mkdir()
        seed_corpus(corpus, args.max_len)
        dictionary.write_text("".join(f'"{_escaped(token)}"\n' for token in DICTIONARY))
        command = [
            sys.executable, __file__, "--child", f"-runs={args.runs}", f"-max_len={args.max_len}",
            f"-dict={dictionary}", f"-artifact_prefix={work}/", "-print_final_stats=1", str(corpus),
        ]  # fmt: skip
        started = time.perf_counter()
        result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
        seconds = time.perf_counter() - started
        crashes = sorted(p.name for p in Path(work).glob("crash-*"))
        report(result, seconds, crashes, len(list(corpus.iterdir())))
    return 0 if result.returncode == 0 and not crashes else 1


def report(result: subprocess.CompletedProcess[str], seconds: float, crashes: list[str],
           corpus_size: int) -> None:  # fmt: skip
    log = result.stderr
    done = _DONE.search(log)
    coverage = _COVERAGE.findall(log)
    runs = int(done.group(1)) if done else 0
    cov, features = coverage[-1] if coverage else ("?", "?")
    print(f"{'target':<22}{'runs':>10}{'exceptions':>12}{'coverage':>10}{'features':>10}"
          f"{'corpus':>8}{'seconds':>9}{'runs/s':>9}")  # fmt: skip
    print(f"{'reader (atheris)':<22}{runs:>10,}{len(crashes):>12}{cov:>10}{features:>10}"
          f"{corpus_size:>8}{seconds:>9.1f}{runs / seconds:>9,.0f}")  # fmt: skip
    if result.returncode != 0:
        print("\n".join(log.splitlines()[-40:]))


def _escaped(token: str) -> str:
    return "".join(f"\\x{ord(c):02x}" if ord(c) < 32 or ord(c) > 126 or c in '"\\' else c
                   for c in token)  # fmt: skip


if __name__ == "__main__":
    sys.exit(main())
