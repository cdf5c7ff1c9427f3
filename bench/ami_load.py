"""AMI load bench: drive the sandbox at rising call rates and print what Asterisk emits.

Prints, on this machine:
  - events per call as the unfiltered `recorder` user sees them and as the bridge's filtered `cti`
    user (shipped manager.conf event filter) sees them, for queue calls and direct calls;
  - for each call rate: calls/s placed and completed, call setup latency, Asterisk's CPU, AMI
    events/s emitted (unfiltered) and delivered to the filtered user;
  - the highest rate held: every call answered and completed, setup p95 under 1 s. CPU is
    percent of one core (this machine has two); when the simulator (one Python process, the SIP
    user agents of carrier and phones) nears 100 %, the simulator, not Asterisk, is the limit.

Calls come from the sandbox's SIP carrier into DIDs; agents' phones (PJSIP 1001-1010, the
sandbox's user agent) answer after 0.2 s and hang up after 2 s. Runs in about three minutes.
Needs root (it starts the sandbox). Usage: .venv/bin/python bench/ami_load.py [--quick]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import time
from dataclasses import dataclass
from pathlib import Path

from cti.sandbox.manager import Sandbox
from cti.sandbox.settings import AmiAccount, SandboxSettings
from cti.sandbox.sim.world import AGENTS, World, open_world
from cti.sandbox.sip.calls import AnswerPlan
from cti.sandbox.sip.dialog import Dialog

RATES = (5.0, 15.0, 30.0, 50.0, 75.0, 100.0, 130.0)
STEP_SECONDS = 10.0
ANSWER_AFTER, TALK = 0.2, 2.0
MAX_SETUP_P95 = 1.0  # seconds beyond the agent's own answer delay


class EventCounter:
    """Counts events on one AMI login by scanning the raw stream (cheap enough for any rate)."""

    def __init__(self, account: AmiAccount) -> None:
        self.account, self.count = account, 0
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        reader, writer = await asyncio.open_connection(self.account.host, self.account.port)
        login = f"Action: Login\r\nUsername: {self.account.user}\r\nSecret: {self.account.secret}"
        writer.write((login + "\r\nEvents: on\r\n\r\n").encode())
        self._writer = writer
        self._task = asyncio.create_task(self._count(reader))

    async def _count(self, reader: asyncio.StreamReader) -> None:
        tail = b""
        while chunk := await reader.read(1 << 16):
            data = tail + chunk
            self.count += data.count(b"\nEvent: ") - tail.count(b"\nEvent: ")
            tail = data[-16:]

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
        self._writer.close()


@dataclass
class Step:
    rate: float
    placed: int
    answered: int
    setup_p95: float
    seconds: float
    cpu_percent: float
    simulator_cpu_percent: float
    events_all: int
    events_filtered: int

    @property
    def held(self) -> bool:
        return self.answered == self.placed and self.setup_p95 < MAX_SETUP_P95


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def one_call(world: World, did: str, setups: list[float]) -> bool:
    started = time.monotonic()
    dialog: Dialog = await world.carrier.call(did, "+420601999000", "Load Test")
    try:
        await asyncio.wait_for(dialog.answered.wait(), 10)
    except TimeoutError:
        await world.carrier.hang_up(dialog)
        return False
    setups.append(time.monotonic() - started - ANSWER_AFTER)
    await asyncio.wait_for(dialog.ended.wait(), 30)
    return True


async def place_calls(world: World, dids: list[str], rate: float, seconds: float) -> Step:
    setups: list[float] = []
    tasks = []
    started = time.monotonic()
    for index in range(int(rate * seconds)):
        did = dids[index % len(dids)]
        tasks.append(asyncio.create_task(one_call(world, did, setups)))
        await asyncio.sleep(max(0.0, started + (index + 1) / rate - time.monotonic()))
    results = await asyncio.gather(*tasks, return_exceptions=True)
    answered = sum(1 for result in results if result is True)
    p95 = statistics.quantiles(setups, n=20)[-1] if len(setups) >= 2 else float("inf")
    return Step(rate, len(tasks), answered, p95, time.monotonic() - started, 0, 0, 0, 0)


async def measured(
    world: World, sandbox: Sandbox, dids: list[str], rate: float, seconds: float
) -> Step:
    pid = sandbox.status().pid
    assert pid is not None
    everything = EventCounter(sandbox.settings.account("recorder"))
    filtered = EventCounter(sandbox.settings.ami)
    await everything.start()
    await filtered.start()
    cpu_before, own_before = cpu_seconds(pid), time.process_time()
    step = await place_calls(world, dids, rate, seconds)
    await world.wait_idle(timeout=60)
    await asyncio.sleep(0.5)
    step.cpu_percent = 100 * (cpu_seconds(pid) - cpu_before) / step.seconds
    step.simulator_cpu_percent = 100 * (time.process_time() - own_before) / step.seconds
    step.events_all, step.events_filtered = everything.count, filtered.count
    await everything.stop()
    await filtered.stop()
    return step


def print_per_call(label: str, step: Step) -> None:
    calls = max(step.answered, 1)
    print(
        f"  {label:<28} {step.events_all / calls:7.1f} events/call unfiltered,"
        f" {step.events_filtered / calls:6.1f} with the shipped filter"
        f" ({100 * step.events_filtered / max(step.events_all, 1):.0f} %)"
    )


def print_step(step: Step) -> None:
    print(
        f"  {step.rate:5.1f} calls/s  {step.answered:4d}/{step.placed:<4d} answered"
        f"  setup p95 {1000 * step.setup_p95:7.1f} ms  CPU: asterisk {step.cpu_percent:5.1f} %,"
        f" simulator {step.simulator_cpu_percent:5.1f} %"
        f"  events/s: {step.events_all / step.seconds:7.0f} emitted,"
        f" {step.events_filtered / step.seconds:6.0f} to the filtered user"
        f"  {'held' if step.held else 'NOT held'}"
    )


async def bench(quick: bool) -> None:
    sandbox = Sandbox(SandboxSettings.from_env())
    await asyncio.to_thread(sandbox.up, False)
    rates = RATES[:3] if quick else RATES
    seconds = STEP_SECONDS / 2 if quick else STEP_SECONDS
    async with open_world(sandbox.settings, media=False) as world:  # the figure is signalling only
        world.phones.default_plan = AnswerPlan(answer_after=ANSWER_AFTER, talk=TALK)
        await asyncio.sleep(1)
        version = sandbox.cli("core show version").split()[1]
        print(f"AMI load bench: {os.cpu_count()} CPUs, Asterisk {version}")
        print("events per call (ring-all queue of 3 agents; direct DID to one agent):")
        print_per_call("queue call (DID 100)", await measured(world, sandbox, ["100"], 1, 6))
        print_per_call("direct call (DID 10XX)", await measured(world, sandbox, list(AGENTS), 2, 5))
        print(f"rising rates, direct calls to agents, {seconds:.0f} s per step:")
        best = 0.0
        for rate in rates:
            step = await measured(world, sandbox, list(AGENTS), rate, seconds)
            print_step(step)
            if not step.held:
                break
            best = rate
    print(f"highest sustained rate: {best:.0f} calls/s (all answered, setup p95 < 1 s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="three short steps only")
    asyncio.run(bench(parser.parse_args().quick))


if __name__ == "__main__":
    main()
