"""A supervisor page left open for a day: does the server's memory grow?

Runs the real /ws/supervisor endpoint (uvicorn, in this process) with a signed-in websocket client
and replays a compressed day: N calls through the live statistics, and a frame to the supervisor
after each change with the 0.5 s coalescing switched off, so a day's worth of frames (2 a second
for 24 h = 172,800) flows in a minute or two. Prints traced Python memory and RSS at checkpoints;
the figure that matters is the growth per 10,000 frames once warm (bar: none).

    .venv/bin/python bench/supervisor_soak.py [--frames 172800] [--calls 3000]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import socket
import tempfile
import tracemalloc
from pathlib import Path

import uvicorn
from websockets.asyncio.client import connect

from crm_core.migrate import upgrade
from crm_core.models.enums import Role
from crm_core.services import build_services
from crm_core.services.dto import Actor, UserCreate
from crm_core.settings import CrmSettings
from cti.app import create_app
from cti.bus.base import SUPERVISOR_TOPIC
from cti.bus.memory import MemoryBus
from cti.state.events import AmiEvent
from cti.stats.calculator import QueueStats
from cti.web.supervisor_ws import supervisor_router

QUEUES = ("sales", "support", "billing")


def _event(name: str, at: float, **headers: str) -> AmiEvent:
    return AmiEvent.from_headers({"Event": name, "Timestamp": str(at), **headers})


def call_events(index: int, start: float) -> list[AmiEvent]:
    """One queue call as Asterisk reports it: joins, leaves the queue to an agent, talks, ends."""
    queue, agent, linkedid = QUEUES[index % 3], f"10{index % 10:02d}", f"soak.{index}"
    ids = {"Queue": queue, "Uniqueid": linkedid, "Linkedid": linkedid}
    member = {"Interface": f"PJSIP/{agent}", "MemberName": agent}
    return [
        _event("QueueCallerJoin", start, **ids),
        _event("QueueCallerLeave", start + 5, **ids),
        _event("AgentConnect", start + 5, **ids, **member, HoldTime="5"),
        _event("AgentComplete", start + 65, **ids, **member, TalkTime="60"),
    ]


def rss_kib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def soak(frames: int, calls: int) -> None:
    workdir = Path(tempfile.mkdtemp(prefix="cti-soak-"))
    settings = CrmSettings(database_url=f"sqlite+aiosqlite:///{workdir}/soak.db",
                           secret_key="soak", var_dir=workdir)  # fmt: skip
    services = build_services(settings)
    await upgrade(services.engine)
    user = UserCreate(login="boss", password="soak-password", role=Role.SUPERVISOR)
    await services.users.create(Actor.system(), user)
    token = (await services.users.login("boss", "soak-password")).access_token
    bus, stats, clock = MemoryBus(), QueueStats(), [0.0]
    router = supervisor_router(bus, lambda: stats.snapshot(clock[0]), min_interval=0)
    app = create_app(settings, services=services, extra_routers=[router], static_dir=None)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    serving = asyncio.create_task(server.serve())
    while not server.started:  # noqa: ASYNC110 - uvicorn offers no event for it
        await asyncio.sleep(0.02)
    events = [e for i in range(calls) for e in call_events(i, 28_800 + i * 10.0)]
    checkpoints: list[tuple[int, int, int]] = []
    tracemalloc.start()
    async with connect(f"ws://127.0.0.1:{port}/ws/supervisor", max_size=None) as client:
        await client.send(json.dumps({"type": "auth", "token": token}))
        received = 0
        for sent in range(frames):
            event = events[sent % len(events)]
            clock[0] = event.time
            stats.apply(event)
            await bus.publish(SUPERVISOR_TOPIC, stats.snapshot(clock[0]))
            while received < sent:  # keep the client caught up, as a browser would be
                json.loads(await client.recv())
                received += 1
            if sent % (frames // 10) == 0:
                checkpoints.append((sent, tracemalloc.get_traced_memory()[0], rss_kib()))
    server.should_exit = True
    await serving
    await services.dispose()
    report(checkpoints, frames, calls)


def report(checkpoints: list[tuple[int, int, int]], frames: int, calls: int) -> None:
    print(f"supervisor soak: {frames} frames (a day at 2/s = 172,800), {calls} calls replayed")
    print(f"{'frames':>9} {'traced KiB':>11} {'RSS KiB':>9}")
    for sent, traced, rss in checkpoints:
        print(f"{sent:>9} {traced // 1024:>11} {rss:>9}")
    (first, traced0, rss0), (last, traced1, rss1) = checkpoints[1], checkpoints[-1]
    per_10k = (traced1 - traced0) / max(last - first, 1) * 10_000 / 1024
    print(f"growth once warm: {per_10k:.1f} KiB traced per 10,000 frames; "
          f"RSS {rss1 - rss0:+d} KiB over {last - first} frames")  # fmt: skip
    print("note: the statistics keep one entry per call of the day (counted once by linkedid);")
    print("      that part grows with calls, not with how long the page stays open.")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=172_800)
    parser.add_argument("--calls", type=int, default=3_000)
    args = parser.parse_args()
    asyncio.run(soak(args.frames, args.calls))


if __name__ == "__main__":
    main()
