"""Past one process (issue 14): the scaled-out figures, part by part.

    .venv/bin/python bench/scale.py [--parts ws,takeover,...] [part options]

Parts (each prints its figures against its bar, and a baseline measured in the same run where one
makes sense):
  ws        2,000 websocket agents spread over two `cti serve --role web` replicas with one
            `--role ingest` fed by a fake Asterisk over TCP, on PostgreSQL and Redis: ring-to-pop
            p50 / p99 across processes (bars 10 / 50 ms) and memory per connected client (bar
            25 KB), beside the same frames through bare `websockets` servers
            (bench/common/scale_ws.py; no sandbox)
  takeover  SIGKILL of the active ingest, 20 trials on the sandbox Asterisk: time until the
            standby holds the lease and until its takeover is written (p50, worst; bar 2 s);
            every record compared with an undisturbed control bridge
            (bench/common/scale_takeover.py)
  pbx       events/s of two PBXs ingested at once into one CRM (two fake-AMI streams with the
            same linkedids, one process, PostgreSQL) against one PBX alone, interleaved rounds
            (bar 0.9x); every call checked once per PBX (bench/common/scale_pbx.py)

A part module has add_arguments(parser) and `async run(args, sandbox, workdir) -> bool`; one with
NEEDS_SANDBOX (the default) gets the running sandbox Asterisk and holds /tmp/cti-asterisk.lock
while it runs, the others get None. PostgreSQL: CTI_BENCH_PG (default 127.0.0.1:5432); Redis:
--redis (default database 9 of 127.0.0.1:6379; the ws part clears its cti:* keys first). Exit
status 1 when a part misses its bar.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import importlib
import shlex
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

PARTS: dict[str, str] = {
    "ws": "bench.common.scale_ws",
    "takeover": "bench.common.scale_takeover",
    "pbx": "bench.common.scale_pbx",
}
"""part name -> module with add_arguments(parser) and run(args, sandbox, workdir) -> bool"""


def _module(name: str) -> Any:
    return importlib.import_module(PARTS[name])


def _needs_sandbox(name: str) -> bool:
    return bool(getattr(_module(name), "NEEDS_SANDBOX", True))


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--parts", default=",".join(PARTS), help="comma-separated part names")
    for name in PARTS:
        _module(name).add_arguments(parser)
    args = parser.parse_args(argv)
    unknown = set(args.parts.split(",")) - set(PARTS)
    if unknown:
        parser.error(f"unknown parts: {', '.join(sorted(unknown))}; known: {', '.join(PARTS)}")
    return args


async def run(args: argparse.Namespace) -> int:
    names = args.parts.split(",")
    sandbox: Any = None
    if any(_needs_sandbox(name) for name in names):
        from cti.sandbox.manager import Sandbox
        from cti.sandbox.settings import SandboxSettings

        sandbox = Sandbox(SandboxSettings.from_env())
        if not sandbox.status().running:
            print("the sandbox is not running: `cti sandbox up` first", file=sys.stderr)
            return 2
    stamp = datetime.datetime.now().astimezone().isoformat(timespec="seconds")
    print(f"{stamp}  {' '.join(shlex.quote(a) for a in sys.argv)}", flush=True)
    verdicts: dict[str, bool] = {}
    for name in names:
        print(f"\n== {name} ==", flush=True)
        with tempfile.TemporaryDirectory(prefix=f"cti-scale-{name}-") as tmp:
            if _needs_sandbox(name):
                from cti.sandbox.lock import sandbox_lock

                with sandbox_lock():
                    await asyncio.to_thread(sandbox.ensure_up, False)
                    await asyncio.to_thread(sandbox.cli, "channel request hangup all")
                    verdicts[name] = await _module(name).run(args, sandbox, Path(tmp))
            else:
                verdicts[name] = await _module(name).run(args, None, Path(tmp))
    print(
        "\n" + ", ".join(f"{n}: {'bar met' if ok else 'BAR MISSED'}" for n, ok in verdicts.items())
    )
    return 0 if all(verdicts.values()) else 1


def main() -> None:
    raise SystemExit(asyncio.run(run(parse_args())))


if __name__ == "__main__":
    main()
