"""Reports bench (issue 6): every report over one million calls in PostgreSQL.

    .venv/bin/python bench/reports.py [--calls 1000000] [--runs 3] [--keep]

Creates a temporary database on 127.0.0.1:5432 (user postgres, trust), migrates it, bulk-loads
N calls spread over a year (4 queues, 40 agents, ~80 % answered, ~12 % abandoned), 20,000
call-back tasks and ~150,000 agent events (logins, pauses: the agent report's pause time) with
COPY, ANALYZEs, then times each report through ReportService (SQL + DTOs) over the whole year
and over one month. Baseline: SELECT count(*) FROM calls (a full scan).
Bar: every report under 2 s. The database is dropped at the end (unless --keep).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import time
import uuid
from collections.abc import Awaitable, Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import asyncpg  # type: ignore[import-untyped]

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from crm_core.db import create_engine, create_sessionmaker
from crm_core.migrate import upgrade
from crm_core.models.enums import Role
from crm_core.services.dto import Actor
from crm_core.services.dto.reports import Bucket, ReportQuery
from crm_core.services.reports import ReportService
from crm_core.settings import CrmSettings

PG = {"host": "127.0.0.1", "port": 5432, "user": "postgres"}
BAR_SECONDS = 2.0
YEAR_START = datetime(2025, 1, 1, tzinfo=UTC)
QUEUES = ["sales", "support", "billing", "vip"]
AGENTS = [str(1001 + n) for n in range(40)]
CALL_COLUMNS = [
    "linkedid", "direction", "caller", "callee", "queue", "agents_rang", "answered_by",
    "started_at", "answered_at", "ended_at", "wait_seconds", "talk_seconds", "disposition",
    "recording", "routing_reason", "transfers",
]  # fmt: skip


def calls(count: int, seed: int = 6) -> Iterator[tuple[object, ...]]:
    rng = random.Random(seed)
    year = 365 * 86400
    for n in range(count):
        started = YEAR_START + timedelta(seconds=rng.randrange(year))
        queue = rng.choice(QUEUES) if rng.random() < 0.9 else ""
        roll = rng.random()
        wait = int(rng.expovariate(1 / 18))
        if roll < 0.8:
            agent, talk, disposition = rng.choice(AGENTS), int(rng.expovariate(1 / 180)), "answered"
        elif roll < 0.92 and queue:
            agent, talk, disposition = "", 0, "abandoned"
        else:
            agent, talk, disposition = "", 0, "missed"
        answered = started + timedelta(seconds=wait) if agent else None
        yield (
            f"bench-{n}", "inbound", f"+4219{n % 100000000:08d}", "800", queue, "[]", agent,
            started, answered, started + timedelta(seconds=wait + talk), wait, talk, disposition,
            "", "", "[]",
        )  # fmt: skip


def agent_events(seed: int = 8) -> Iterator[tuple[object, ...]]:
    """Every weekday of the year, each agent logs in to two queues, pauses for a break and for
    lunch in both (at the same moment, as QueuePause without a queue does), maybe once more in
    one queue, and logs out: about 14 events a day."""
    rng = random.Random(seed)
    for day in range(365):
        date = YEAR_START + timedelta(days=day)
        if date.weekday() >= 5:
            continue
        for index, agent in enumerate(AGENTS):
            queues = (QUEUES[index % 4], QUEUES[(index + 1) % 4])
            minute = 480 + rng.randrange(30)
            plan = [("login", "", minute), ("pause", "break", minute + 120),
                    ("unpause", "", minute + 135), ("pause", "lunch", minute + 240),
                    ("unpause", "", minute + 270 + rng.randrange(15)),
                    ("logout", "", minute + 510)]  # fmt: skip
            for kind, reason, at in plan:
                for queue in queues:
                    yield agent, queue, kind, reason, date + timedelta(minutes=at)
            if rng.random() < 0.5:
                at = date + timedelta(minutes=minute + 400)
                yield agent, queues[0], "pause", "paperwork", at
                yield agent, queues[0], "unpause", "", at + timedelta(minutes=rng.randrange(5, 30))


async def load(url: str, dsn: dict[str, object], count: int) -> float:
    engine = create_engine(url)
    await upgrade(engine)
    await engine.dispose()
    began = time.perf_counter()
    connection = await asyncpg.connect(**dsn)
    try:
        users = [(f"agent{a}", a, "x", Role.AGENT.value, True, YEAR_START) for a in AGENTS]
        await connection.copy_records_to_table(
            "users",
            records=users,
            columns=["login", "display_name", "password_hash", "role", "active", "created_at"],
        )
        ids = await connection.fetch("SELECT id, display_name FROM users ORDER BY id")
        await connection.copy_records_to_table(
            "user_extensions",
            records=[(r["display_name"], r["id"]) for r in ids],
            columns=["extension", "user_id"],
        )
        batch: list[tuple[object, ...]] = []
        for record in calls(count):
            batch.append(record)
            if len(batch) == 100_000:
                await connection.copy_records_to_table("calls", records=batch, columns=CALL_COLUMNS)
                batch.clear()
        if batch:
            await connection.copy_records_to_table("calls", records=batch, columns=CALL_COLUMNS)
        rng = random.Random(7)
        tasks = [
            (
                "callback", "call back", YEAR_START + timedelta(seconds=rng.randrange(365 * 86400)),
                rng.choice(ids)["id"], rng.randrange(1, count + 1),
                None if rng.random() < 0.5 else YEAR_START + timedelta(days=400), "", YEAR_START,
            )
            for _ in range(20_000)
        ]  # fmt: skip
        columns = ["kind", "subject", "due_at", "assignee_id", "call_id", "done_at", "result"]
        await connection.copy_records_to_table(
            "tasks", records=tasks, columns=[*columns, "created_at"]
        )
        events = list(agent_events())
        await connection.copy_records_to_table(
            "agent_events", records=events, columns=["extension", "queue", "kind", "reason", "at"]
        )
        print(f"{len(events):,} agent events (logins, pauses) for {len(AGENTS)} agents")
        await connection.execute("ANALYZE")
    finally:
        await connection.close()
    return time.perf_counter() - began


async def best_of(runs: int, work: Callable[[], Awaitable[object]]) -> float:
    timings = []
    for _ in range(runs):
        began = time.perf_counter()
        await work()
        timings.append(time.perf_counter() - began)
    return min(timings)


async def measure(url: str, dsn: dict[str, object], runs: int) -> bool:
    engine = create_engine(url)
    reports = ReportService(create_sessionmaker(engine), CrmSettings(database_url=url))
    boss = Actor(id=None, login="bench", role=Role.SUPERVISOR)
    connection = await asyncpg.connect(**dsn)

    async def count() -> object:
        return await connection.fetchval("SELECT count(*) FROM calls")

    baseline = await best_of(runs, count)
    total = await connection.fetchval("SELECT count(*) FROM calls")
    await connection.close()
    year = {"from": YEAR_START, "to": YEAR_START + timedelta(days=365)}
    month = {"from": datetime(2025, 6, 1, tzinfo=UTC), "to": datetime(2025, 7, 1, tzinfo=UTC)}
    cases: list[tuple[str, Callable[[], Awaitable[object]]]] = []
    for span, period in (("year", year), ("month", month)):
        q = ReportQuery.model_validate(period)
        cases += [
            (f"queues   / {span}", lambda q=q: reports.queues(boss, q)),
            (f"agents   / {span}", lambda q=q: reports.agents(boss, q)),
            (f"by day   / {span}", lambda q=q: reports.timeline(boss, q)),
            (
                f"by week  / {span}",
                lambda q=q: reports.timeline(boss, q.model_copy(update={"bucket": Bucket.WEEK})),
            ),
        ]
        if span == "month":
            hourly = q.model_copy(update={"bucket": Bucket.HOUR})
            one = q.model_copy(update={"queue": "sales"})
            cases += [
                (f"by hour  / {span}", lambda h=hourly: reports.timeline(boss, h)),
                (f"queues sales / {span}", lambda o=one: reports.queues(boss, o)),
            ]
    print(f"\n{total:,} calls; baseline SELECT count(*): {baseline * 1000:.0f} ms (best of {runs})")
    print(f"{'report':<24}{'best ms':>10}{'x count(*)':>12}  bar < {BAR_SECONDS:.0f} s")
    ok = True
    for name, work in cases:
        seconds = await best_of(runs, work)
        passed = seconds < BAR_SECONDS
        ok &= passed
        ratio = seconds / baseline if baseline else float("nan")
        verdict = "ok" if passed else "FAIL"
        print(f"{name:<24}{seconds * 1000:>10.0f}{ratio:>12.1f}  {verdict}")
    await engine.dispose()
    return ok


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--calls", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    name = f"cti_bench_reports_{uuid.uuid4().hex[:8]}"
    admin = await asyncpg.connect(**PG, database="postgres")
    await admin.execute(f'CREATE DATABASE "{name}"')
    dsn = {**PG, "database": name}
    url = f"postgresql+asyncpg://postgres@{PG['host']}:{PG['port']}/{name}"
    try:
        seconds = await load(url, dsn, args.calls)
        print(f"loaded {args.calls:,} calls, call-backs, agent events with COPY in {seconds:.1f} s")
        ok = await measure(url, dsn, args.runs)
    finally:
        if not args.keep:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()
    print("all reports under the bar" if ok else "SOME REPORTS OVER THE BAR")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
