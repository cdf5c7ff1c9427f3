"""FastAGI routing answer time: N concurrent AGI sessions over TCP against the bridge's server.

    .venv/bin/python bench/agi.py [--contacts 20000] [--sessions 2000] [--concurrency 1,5]
                                  [--rate 50,200] [--backends sqlite,postgresql]
                                  [--loop uvloop|asyncio] [--answer packed|variables]

Seeds a CRM (bench/lookup.py's seed: N contacts owned by user 1, who gets extension 1002,
a logged-in member of `sales`) with the routing rules in its database (migration 0005's defaults
plus a status priority and business hours open all week, so every kind of rule is evaluated),
serves the real `route` handler (stored rules through their cache, caller lookup, owner, agent
registry, tracker) on a free port and plays Asterisk: send the agi_* environment [cti-route]
sends (`packed` as its 4th argument: the answer in one SET VARIABLE; `--answer variables`: one
each, as for an older dialplan), answer each SET VARIABLE with `200 result=1`, until the server
closes. Callers alternate between known numbers and unknown ones (every one a new number: no
cache helps). Baseline: the same server and protocol with a handler that answers a constant (a
bare TCP round trip with one SET VARIABLE and no lookup).
What it measures: the time from connect to close as the client sees it (what Asterisk waits
for; p50/p99 below), the server's own accept-to-close time, and the CPU per session of the server
process (all its threads) and of the client. The server runs on uvloop as under `cti serve`
(uvicorn's loop), `--loop asyncio` for the standard loop; the client runs in its own process, on
uvloop, so it costs the machine less than the server it measures. On a shared machine the times
move with the load; the CPU per answer and the ratio to the baseline of the same run move less.
Loads: closed loop (N sessions always in flight: the server's limit) and open loop (calls
arriving at a fixed rate, as from a PBX: 50 calls/s is several times a 200-agent centre's peak).
Backends: SQLite and PostgreSQL (127.0.0.1:5432, a temporary database).
Bar: p99 <= 20 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import multiprocessing
import random
import sys
import tempfile
import time
from collections.abc import Mapping
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import time as daytime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import uvloop
from lookup import _bulk, mobile, percentile, seed, temp_database

from crm_core.db import create_engine
from crm_core.migrate import upgrade
from crm_core.models import UserExtension
from crm_core.services import Services, build_services
from crm_core.services.dto import Actor
from crm_core.services.routing_dto import WEEKDAYS, AfterHours, BusinessHours, Opening, Priority
from crm_core.settings import CrmSettings
from cti.agents.registry import AgentRegistry, Member
from cti.ami.metrics import Counters
from cti.routing.agi import AgiRequest, FastAgiServer, Handler
from cti.routing.router import PACKED_ANSWER, RouteHandler
from cti.routing.settings import TelephonySettings
from cti.state.tracker import Tracker


@dataclass(frozen=True)
class Load:
    concurrency: int = 1
    rate: float = 0.0

    def __str__(self) -> str:
        return f"{self.rate:g} calls/s" if self.rate else f"{self.concurrency} in flight"


def environment(number: str, answer: str) -> bytes:
    """What [cti-route] sends; `answer` is its 4th argument (`packed`: one SET VARIABLE)."""
    lines = [
        "agi_network: yes", "agi_network_script: route", "agi_request: agi://x/route",
        f"agi_callerid: {number}", "agi_dnid: 100", "agi_arg_1: sales", f"agi_arg_2: {number}",
        "agi_arg_3: 100", f"agi_arg_4: {answer}",
    ]  # fmt: skip
    return ("\n".join(lines) + "\n\n").encode()


async def session(port: int, request: bytes) -> float:
    start = time.perf_counter()
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(request)
    while (await reader.readline()).startswith(b"SET VARIABLE"):
        writer.write(b"200 result=1\n")
    writer.close()
    return (time.perf_counter() - start) * 1000


async def drive(port: int, requests: list[bytes], load: Load) -> list[float]:
    """Closed loop (`concurrency` sessions always in flight) or, with `rate`, open loop: a new
    call every 1/rate seconds whether or not the earlier ones were answered, as calls arrive."""
    if load.rate:
        return await _open_loop(port, requests, load.rate)
    gate = asyncio.Semaphore(load.concurrency)

    async def one(request: bytes) -> float:
        async with gate:
            return await session(port, request)

    return list(await asyncio.gather(*(one(request) for request in requests)))


async def _open_loop(port: int, requests: list[bytes], rate: float) -> list[float]:
    loop, tasks = asyncio.get_running_loop(), []
    start = loop.time()
    for i, request in enumerate(requests):
        await asyncio.sleep(max(0.0, start + i / rate - loop.time()))
        tasks.append(asyncio.create_task(session(port, request)))
    return list(await asyncio.gather(*tasks))


@dataclass(frozen=True)
class Run:
    """client_ms: connect -> close as the client sees it (what Asterisk waits for), per session;
    server_ms: the server's own accept -> close; CPU per session of each process."""

    client_ms: list[float]
    server_ms: list[float]
    server_cpu_ms: float
    client_cpu_ms: float


def drive_in_process(port: int, requests: list[bytes], load: Load) -> tuple[list[float], float]:
    """The client runs in its own process (and on uvloop, so it costs less than the server it
    measures, closer to Asterisk's C): it must not share the server's event loop or CPU time."""
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork")) as pool:
        return pool.submit(_drive_sync, port, requests, load).result()


def _drive_sync(port: int, requests: list[bytes], load: Load) -> tuple[list[float], float]:
    started = time.process_time()
    with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
        samples = runner.run(drive(port, requests, load))
    return samples, (time.process_time() - started) * 1000 / len(requests)


async def serve_and_drive(handler: Handler, requests: list[bytes], load: Load) -> Run:
    counters = Counters()
    server = FastAgiServer("127.0.0.1", 0, {"route": handler}, deadline=2, counters=counters)
    await server.start()
    try:
        run = functools.partial(drive_in_process, server.bound_port)
        await asyncio.to_thread(run, requests[:200], load)  # warm up
        server_ms: list[float] = []
        counters.on_observe("agi.answer_seconds", lambda seconds: server_ms.append(seconds * 1000))
        started = time.process_time()
        client_ms, client_cpu = await asyncio.to_thread(run, requests, load)
        server_cpu = (time.process_time() - started) * 1000 / len(requests)
    finally:
        await server.stop()
    return Run(client_ms, server_ms, server_cpu, client_cpu)


async def measure(name: str, handler: Handler, requests: list[bytes], load: Load) -> float:
    run = await serve_and_drive(handler, requests, load)
    p50, p99 = percentile(run.client_ms, 0.5), percentile(run.client_ms, 0.99)
    server_p99 = percentile(run.server_ms, 0.99)
    print(f"  {name:8} {load} sessions={len(run.client_ms)} p50={p50:.2f} ms p99={p99:.2f} ms "
          f"(server's own p99 {server_p99:.2f} ms; CPU per session: server "
          f"{run.server_cpu_ms:.2f} ms, client {run.client_cpu_ms:.2f} ms)")  # fmt: skip
    return p99


BAR_MS = 20.0


async def noop(_: AgiRequest) -> Mapping[str, str]:
    return {"CTI_ROUTE_REASON": "noop"}


async def add_rules(services: Services) -> None:
    system = Actor.system()
    await services.routing.create(system, Priority(field="contact_status", value="client",
                                                   priority=5, label="client"))  # fmt: skip
    always = [Opening(start=daytime(0), end=daytime(23, 59, 59))]
    hours = BusinessHours(
        queue="sales", timezone="Europe/Bratislava", weekly=dict.fromkeys(WEEKDAYS, always),
        after_hours=AfterHours(action="voicemail", target="100@default"),
    )  # fmt: skip
    await services.routing.create(system, hours)
    kinds = [out.rule.kind for out in await services.routing.list(system)]
    print(f"routing rules in the database: {', '.join(kinds)}")


async def bench_backend(backend: str, args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory(prefix="cti-bench-agi-") as tmp:
        async with temp_database(backend, Path(tmp)) as url:
            engine = create_engine(url)
            await upgrade(engine)
            settings = CrmSettings(database_url=url, secret_key="b", var_dir=Path(tmp))
            services = build_services(settings)
            try:
                await run_loads(backend, services, args)
            finally:
                await services.dispose()
                await engine.dispose()


async def run_loads(backend: str, services: Services, args: argparse.Namespace) -> None:
    known = await seed(services, args.contacts)
    await _bulk(services, UserExtension, [{"extension": "1002", "user_id": 1}])
    await add_rules(services)
    agents = AgentRegistry()
    agents.replace([Member("sales", "PJSIP/1002")])
    router = RouteHandler(TelephonySettings(), services, Tracker(), agents)
    unknown = [mobile(2_500_000 + i) for i in range(args.sessions)]
    numbers = [random.choice(known) if i % 2 else unknown[i] for i in range(args.sessions)]
    requests = [environment(number, args.answer) for number in numbers]
    print(f"{backend}: {await router.decide(AgiRequest({'agi_arg_2': known[0]}))}")
    loads = [Load(concurrency=c) for c in args.concurrency] + [Load(rate=r) for r in args.rate]
    for load in loads:
        base = await measure("baseline", noop, requests, load)
        p99 = await measure("route", router, requests, load)
        verdict = "ok" if p99 <= BAR_MS else "OVER the bar"
        print(f"  -> {backend} {load}: route p99 {p99:.1f} ms = {p99 / base:.1f}x the baseline; "
              f"bar {BAR_MS:g} ms: {verdict}")  # fmt: skip


def _numbers(text: str, kind: type[int] | type[float]) -> list[float]:
    return [kind(part) for part in text.split(",") if part]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--contacts", type=int, default=20_000)
    parser.add_argument("--sessions", type=int, default=2000)
    parser.add_argument("--concurrency", default="1,5", help="closed-loop loads, comma-separated")
    parser.add_argument("--rate", default="50,200", help="open-loop calls/s, comma-separated")
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument(
        "--loop",
        choices=("uvloop", "asyncio"),
        default="uvloop",
        help="the server's event loop (`cti serve` runs uvicorn's: uvloop)",
    )
    parser.add_argument(
        "--answer",
        choices=(PACKED_ANSWER, "variables"),
        default=PACKED_ANSWER,
        help="what the dialplan asks for: one packed variable, or one each",
    )
    args = parser.parse_args()
    args.concurrency = [int(c) for c in _numbers(args.concurrency, int)]
    args.rate = _numbers(args.rate, float)
    print(f"server on {args.loop}, client on uvloop in its own process, answer: {args.answer}")
    factory = uvloop.new_event_loop if args.loop == "uvloop" else asyncio.new_event_loop
    with asyncio.Runner(loop_factory=factory) as runner:
        for backend in args.backends.split(","):
            runner.run(bench_backend(backend, args))


if __name__ == "__main__":
    main()
