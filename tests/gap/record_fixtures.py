"""Record the gap fixtures: each scenario's raw AMI stream AND the CEL rows Asterisk logged for
the same calls (tests/gap/recorded/NAME.ami, NAME.cel.jsonl, NAME.json), plus `traffic`: random
simulated traffic with queues, ring-all, transfers and hang-ups of every kind.

    flock /tmp/cti-asterisk.lock .venv/bin/python -m tests.gap.record_fixtures [--calls 40]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

from cti.gap.cel_file import read_since
from cti.sandbox.manager import Sandbox
from cti.sandbox.recorder import RawRecorder
from cti.sandbox.settings import SandboxSettings
from cti.sandbox.sim.recording import _write_sidecar
from cti.sandbox.sim.scenarios import SCENARIOS
from cti.sandbox.sim.traffic import Traffic, TrafficMix
from cti.sandbox.sim.world import World, open_world

HERE = Path(__file__).parent / "recorded"


async def _record(sandbox: Sandbox, name: str, play: Callable[[World], Awaitable[object]]) -> None:
    await asyncio.to_thread(sandbox.up, False)
    settings = sandbox.settings
    path = HERE / f"{name}.ami"
    async with open_world(settings) as world:
        await asyncio.sleep(1)
        began = time.time()
        recorder = RawRecorder(settings.account("recorder"), path)
        await recorder.start()
        await play(world)
        await world.wait_idle()
        await asyncio.sleep(1.5)
        await recorder.stop()
    rows = read_since(sandbox.layout.cel_log, began - 1, time.time())
    lines = [json.dumps(row, ensure_ascii=False) for row in rows]
    path.with_suffix(".cel.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{name}: {path.stat().st_size} bytes of AMI, {len(rows)} CEL rows")


async def main(calls: int, seed: int) -> None:
    HERE.mkdir(parents=True, exist_ok=True)
    sandbox = Sandbox(SandboxSettings.from_env())
    for scenario in SCENARIOS.values():
        await _record(sandbox, scenario.name, scenario.script)
        _write_sidecar(scenario, HERE / f"{scenario.name}.ami")

    async def traffic(world: World) -> object:
        return await Traffic(world, TrafficMix(), seed).run(calls, 2.0)

    await _record(sandbox, "traffic", traffic)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=40)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    asyncio.run(main(args.calls, args.seed))
