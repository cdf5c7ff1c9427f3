"""Webhook delivery: throughput and latency with the receiver healthy, and after an outage.

    .venv/bin/python bench/webhooks.py [--calls 500] [--outage 10] [--backends sqlite,postgresql]

Each call is registered as the bridge's call log does (ringing, then answered + transferred +
ended in one write: 4 events), `--batch` calls per transaction, into a database with one
subscription to a real HTTP receiver (uvicorn, bench/common/webhook_receiver.py, which checks
every signature). Phase "healthy": the sender runs and the receiver answers 200. Phase
"outage": the receiver is stopped, the same number of calls is written, it comes back after
`--outage` seconds. Latency is the event's outbox time (`occurred_at`) to its arrival; after an
outage it includes the outage itself. Lost = events in the outbox never received (bar: 0).
Baseline, same run: the same bodies posted straight to the receiver (no database, no
signature), same concurrency. Retry backoff here is 0.5-2 s (production: 2 s doubling to 10 min,
so a receiver back after a long outage is retried within at most 10 min).
The machine has 2 shared cores: figures move with whatever else runs.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from sqlalchemy import func, select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common.databases import temp_database
from bench.common.webhook_receiver import free_port
from crm_core.db import create_engine
from crm_core.migrate import upgrade
from crm_core.models import WebhookEvent
from crm_core.services import Services, build_services
from crm_core.services.dto import Actor, CallRecord
from crm_core.settings import CrmSettings
from crm_core.webhooks.call_events import CallWebhookEvents
from crm_core.webhooks.dto import SubscriptionCreate
from crm_core.webhooks.schema import CALL_EVENTS
from cti.ami.metrics import Counters
from cti.webhooks.sender import WebhookSender
from cti.webhooks.settings import WebhookSettings

SECRET = "bench-secret-bench-secret"
SYSTEM = Actor.system("cti")
RECEIVER_SCRIPT = Path(__file__).resolve().parent / "common" / "webhook_receiver.py"


class ReceiverProcess:
    """bench/common/webhook_receiver.py in its own process (its CPU is not the sender's); it can
    be stopped and started again on the same port."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/hook"
        self.arrivals: dict[str, float] = {}
        self.repeats = 0
        self._process: asyncio.subprocess.Process | None = None
        self._reader: asyncio.Task[None] | None = None

    async def start(self) -> None:
        script = RECEIVER_SCRIPT
        self._process = await asyncio.create_subprocess_exec(
            sys.executable, str(script), str(self.port), SECRET, stdout=asyncio.subprocess.PIPE
        )
        assert self._process.stdout is not None
        line = await asyncio.wait_for(self._process.stdout.readline(), 20)
        assert line.strip() == b"READY", line
        self._reader = asyncio.create_task(self._read(self._process.stdout))

    async def _read(self, stdout: asyncio.StreamReader) -> None:
        while line := await stdout.readline():
            event_id, at = line.decode().split()
            if event_id in self.arrivals:
                self.repeats += 1
            self.arrivals.setdefault(event_id, float(at))

    async def stop(self) -> None:
        if self._process is not None:
            self._process.terminate()
            await self._process.wait()
            assert self._reader is not None
            await self._reader
        self._process = None


def ringing(linkedid: str) -> CallRecord:
    started = datetime.now(UTC) - timedelta(seconds=30)
    return CallRecord.model_validate({
        "linkedid": linkedid, "direction": "inbound", "caller": "+421900123456",
        "callee": "100", "queue": "sales", "agents_rang": ["1001"], "started_at": started,
    })  # fmt: skip


def ended(call: CallRecord) -> CallRecord:
    now = datetime.now(UTC)
    return CallRecord.model_validate(call.model_dump(by_alias=True) | {
        "answered_at": now - timedelta(seconds=20), "answered_by": "1001", "ended_at": now,
        "disposition": "answered", "talk_seconds": 20, "wait_seconds": 10,
        "transfers": [{"kind": "blind", "from": "1001", "to": "1002", "at": now}],
    })  # fmt: skip


async def write_calls(services: Services, prefix: str, calls: int, batch: int) -> None:
    records = [ringing(f"{prefix}.{n}") for n in range(calls)]
    for start in range(0, calls, batch):
        await services.calls.register_many(SYSTEM, records[start : start + batch])
    for start in range(0, calls, batch):
        chunk = [ended(record) for record in records[start : start + batch]]
        await services.calls.register_many(SYSTEM, chunk)


def latencies(receiver: ReceiverProcess, written: dict[str, float]) -> list[float]:
    return [receiver.arrivals[i] - at for i, at in written.items() if i in receiver.arrivals]


def pct(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))]


async def outbox(services: Services, since: int) -> tuple[dict[str, float], int]:
    """{event id: outbox time} of the events after row `since`, and the last row."""
    async with services.sessions() as session:
        rows = (await session.execute(
            select(WebhookEvent.id, WebhookEvent.event_id, WebhookEvent.body)
            .where(WebhookEvent.id > since)
        )).all()  # fmt: skip
        top = await session.scalar(select(func.max(WebhookEvent.id))) or since
    written = {
        event_id: datetime.fromisoformat(json.loads(body)["occurred_at"]).timestamp()
        for _, event_id, body in rows
    }
    return written, top


async def outbox_bodies(services: Services) -> list[bytes]:
    async with services.sessions() as session:
        return [body.encode() for body in await session.scalars(select(WebhookEvent.body))]


async def wait_for(receiver: ReceiverProcess, ids: dict[str, float], timeout: float) -> float:
    deadline = time.monotonic() + timeout
    while not ids.keys() <= receiver.arrivals.keys():
        if time.monotonic() > deadline:
            break
        await asyncio.sleep(0.02)
    return time.monotonic()


def report(
    phase: str, receiver: ReceiverProcess, ids: dict[str, float], seconds: float
) -> dict[str, float]:
    got = ids.keys() & receiver.arrivals.keys()
    lat = latencies(receiver, ids)
    row = {
        "events": len(ids), "received": len(got), "lost": len(ids.keys() - got),
        "repeats": receiver.repeats, "seconds": seconds,
        "throughput": len(got) / seconds if seconds else 0.0,
        "p50_ms": 1000 * pct(lat, 50) if lat else float("nan"),
        "p99_ms": 1000 * pct(lat, 99) if lat else float("nan"),
    }  # fmt: skip
    print(f"  {phase:8} {row['events']:>6} events  {row['throughput']:>7.0f} ev/s  "
          f"p50 {row['p50_ms']:>8.1f} ms  p99 {row['p99_ms']:>8.1f} ms  "
          f"lost {row['lost']}  repeats {row['repeats']}", flush=True)  # fmt: skip
    return row


async def baseline(receiver: ReceiverProcess, bodies: list[bytes], concurrency: int) -> float:
    """Straight posts of the same bodies, signed, same concurrency: the receiver's own pace."""
    from cti.webhooks.signing import signed_headers

    limit = asyncio.Semaphore(concurrency)
    async with httpx.AsyncClient() as client:

        async def post(body: bytes) -> None:
            async with limit:
                headers = signed_headers(SECRET, body, int(time.time()), "x", "call.ended")
                (await client.post(receiver.url, content=body, headers=headers)).raise_for_status()

        start = time.perf_counter()
        await asyncio.gather(*(post(body) for body in bodies))
        return len(bodies) / (time.perf_counter() - start)


async def run_backend(backend: str, args: argparse.Namespace, workdir: Path) -> None:
    async with temp_database(backend, workdir, "hooks") as url:
        engine = create_engine(url)
        await upgrade(engine)
        services = build_services(CrmSettings(database_url=url, var_dir=workdir), engine=engine)
        services.calls.add_hook(CallWebhookEvents(pbx="bench"))
        receiver = ReceiverProcess()
        await receiver.start()
        sub = SubscriptionCreate.model_validate(
            {
                "url": receiver.url,
                "events": list(CALL_EVENTS[:4]),
                "secret": SECRET,
            }
        )
        await services.webhooks.create(SYSTEM, sub)
        settings = WebhookSettings(pbx_id="bench", poll_seconds=0.05, retry_base_seconds=0.5,
                                   retry_max_seconds=2.0, concurrency=args.concurrency)  # fmt: skip
        sender = WebhookSender(services.webhook_deliveries, settings, Counters())
        sender.start()
        print(f"{backend}: {args.calls} calls a phase ({4 * args.calls} events), {args.batch} "
              f"calls a transaction, {args.concurrency} posts at once", flush=True)  # fmt: skip
        try:
            start = time.monotonic()
            await write_calls(services, "healthy", args.calls, args.batch)
            ids, top = await outbox(services, 0)
            done = await wait_for(receiver, ids, 300)
            report("healthy", receiver, ids, done - start)
            bodies = await outbox_bodies(services)
            await receiver.stop()
            start = time.monotonic()
            await write_calls(services, "outage", args.calls, args.batch)
            await asyncio.sleep(args.outage)
            await receiver.start()
            back = time.monotonic()
            ids, top = await outbox(services, top)
            done = await wait_for(receiver, ids, 300)
            row = report("outage", receiver, ids, done - start)
            after = done - back
            print(f"           receiver away {args.outage:.0f} s; everything in {after:.1f} s "
                  f"after it came back; lost {row['lost']}", flush=True)  # fmt: skip
            rate = await baseline(receiver, bodies, args.concurrency)
            print(f"  baseline {len(bodies):>6} posts   {rate:>7.0f} ev/s  (straight to the "
                  f"receiver, no database)", flush=True)  # fmt: skip
        finally:
            await sender.stop()
            await receiver.stop()
            await services.dispose()


async def main() -> None:
    formatter = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=formatter)
    parser.add_argument("--calls", type=int, default=500)
    parser.add_argument("--batch", type=int, default=50)
    parser.add_argument("--outage", type=float, default=10.0)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--backends", default="sqlite,postgresql")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as workdir:
        for backend in args.backends.split(","):
            await run_backend(backend, args, Path(workdir))


if __name__ == "__main__":
    asyncio.run(main())
