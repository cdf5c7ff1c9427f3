"""Card lookup and CSV import speed, on SQLite and PostgreSQL.

    .venv/bin/python bench/lookup.py [--contacts 100000] [--lookups 3000]
                                     [--backends sqlite,postgresql]

Seeds N contacts with 1.5 N phones (plus calls, tasks and notes) by bulk insert, then times
`services.cards.lookup()` warm (p50/p99) against a bare `SELECT 1` through the same session
factory; then times `cti import contacts` of a generated N-row CSV into an empty database.
PostgreSQL runs on 127.0.0.1:5432 (CTI_BENCH_PG, user postgres) in a temporary database.
Bars: lookup p99 <= 2 ms, import < 60 s.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert, text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common.databases import temp_database
from crm_core.db import create_engine
from crm_core.migrate import upgrade
from crm_core.models import Call, Contact, Note, Phone, Task, User
from crm_core.services import Services, build_services
from crm_core.settings import CrmSettings

CHUNK = 10_000
ROOT = Path(__file__).resolve().parent.parent


def mobile(index: int) -> str:
    prefix = ("905", "911", "915")[index // 1_000_000]
    return f"+421{prefix}{index % 1_000_000:06d}"


async def _bulk(services: Services, model: type, rows: list[dict[str, object]]) -> None:
    async with services.sessions.begin() as session:
        for start in range(0, len(rows), CHUNK):
            await session.execute(insert(model), rows[start : start + CHUNK])


async def seed(services: Services, contacts: int) -> list[str]:
    now = datetime.now(UTC)
    await _bulk(
        services,
        User,
        [
            {
                "id": 1,
                "login": "bench",
                "display_name": "",
                "password_hash": "x",
                "role": "agent",
                "active": True,
                "created_at": now,
            }
        ],
    )
    await _bulk(
        services,
        Contact,
        [
            {
                "id": i + 1,
                "first_name": f"First{i}",
                "last_name": f"Last{i}",
                "owner_id": 1,
                "status": "client",
                "search_text": f"first{i} last{i}",
                "created_at": now,
                "updated_at": now,
            }
            for i in range(contacts)
        ],
    )
    numbers = [mobile(i) for i in range(contacts * 3 // 2)]
    await _bulk(
        services,
        Phone,
        [
            {
                "e164": number,
                "raw": number,
                "kind": "mobile",
                "label": "",
                "contact_id": i % contacts + 1,
            }
            for i, number in enumerate(numbers)
        ],
    )
    await _bulk(
        services,
        Call,
        [
            {
                "linkedid": f"b.{i}",
                "direction": "inbound",
                "caller": numbers[i % len(numbers)],
                "external_e164": numbers[i % len(numbers)],
                "contact_id": i % contacts + 1,
                "started_at": now - timedelta(minutes=i),
                "agents_rang": [],
                "transfers": [],
            }
            for i in range(contacts * 2)
        ],
    )
    await _bulk(
        services,
        Task,
        [
            {
                "kind": "callback",
                "subject": "Call back",
                "assignee_id": 1,
                "contact_id": i % contacts + 1,
            }
            for i in range(contacts // 2)
        ],
    )
    await _bulk(
        services,
        Note,
        [{"contact_id": i % contacts + 1, "author_id": 1, "body": "note"} for i in range(contacts)],
    )
    if services.engine.dialect.name == "postgresql":
        async with services.engine.connect() as connection:
            await (await connection.get_raw_connection()).driver_connection.execute("ANALYZE")
    else:
        async with services.engine.begin() as connection:
            await connection.execute(text("ANALYZE"))
    return numbers


async def timed(fn: Callable[[], Awaitable[object]], count: int) -> list[float]:
    samples = []
    for _ in range(count):
        start = time.perf_counter()
        await fn()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def percentile(samples: list[float], fraction: float) -> float:
    return sorted(samples)[min(len(samples) - 1, int(len(samples) * fraction))]


async def bench_lookup(backend: str, url: str, contacts: int, lookups: int, workdir: Path) -> None:
    settings = CrmSettings(database_url=url, secret_key="bench", var_dir=workdir)
    services = build_services(settings, engine=create_engine(url))
    await upgrade(services.engine)
    started = time.perf_counter()
    numbers = await seed(services, contacts)
    seconds = time.perf_counter() - started
    print(f"[{backend}] seeded {contacts} contacts, {len(numbers)} phones in {seconds:.1f} s")
    rng = random.Random(1)
    targets = [rng.choice(numbers) for _ in range(lookups)]
    spellings = iter([f"0{n[4:7]} {n[7:10]} {n[10:]}" for n in targets] * 3)

    async def lookup() -> None:
        assert await services.cards.lookup(next(spellings)) is not None

    async def select_one() -> None:
        async with services.sessions() as session:
            await session.execute(text("SELECT 1"))

    await timed(lookup, min(500, lookups))
    await timed(select_one, 500)
    base, card = await timed(select_one, lookups), await timed(lookup, lookups)
    p50, p99 = percentile(card, 0.5), percentile(card, 0.99)
    b50, b99 = percentile(base, 0.5), percentile(base, 0.99)
    verdict = "OK" if p99 <= 2.0 else "MISSES 2 ms"
    mean = statistics.mean(card)
    print(
        f"[{backend}] lookup   p50 {p50:.3f} ms  p99 {p99:.3f} ms  mean {mean:.3f} ms  ({verdict})"
    )
    print(f"[{backend}] SELECT 1 p50 {b50:.3f} ms  p99 {b99:.3f} ms  (baseline, same sessions)")
    print(f"[{backend}] lookup / baseline: p50 x{p50 / b50:.1f}, p99 x{p99 / b99:.1f}")
    await services.dispose()


def write_csv(path: Path, rows: int) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            ["first_name", "last_name", "company", "email", "phone", "phone2", "owner", "status"]
        )
        for i in range(rows):
            number = mobile(i)
            writer.writerow(
                [
                    f"Ján{i}",
                    f"Šťastný{i}",
                    f"Company {i % 2000}",
                    f"user{i}@example.com",
                    f"0{number[4:7]} {number[7:10]} {number[10:]}",
                    f"+421 911 {i // 1000 % 1000:03d} {i % 1000:03d}" if i % 2 else "",
                    "",
                    "client",
                ]
            )


def bench_import(backend: str, url: str, rows: int, workdir: Path) -> None:
    csv_path = workdir / "contacts.csv"
    if not csv_path.exists():
        write_csv(csv_path, rows)
    env = os.environ | {"CTI_DATABASE_URL": url, "CTI_VAR_DIR": str(workdir / "var")}
    subprocess.run(
        [str(ROOT / ".venv/bin/cti"), "db", "upgrade"], env=env, check=True, capture_output=True
    )
    started = time.perf_counter()
    result = subprocess.run(
        [str(ROOT / ".venv/bin/cti"), "import", "contacts", str(csv_path)],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    elapsed = time.perf_counter() - started
    verdict = "OK" if elapsed < 60 else "MISSES 60 s"
    summary = result.stdout.strip()
    print(f"[{backend}] cti import contacts ({rows} rows): {elapsed:.1f} s ({verdict}); {summary}")


async def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument("--lookups", type=int, default=3000)
    parser.add_argument("--backends", default="sqlite,postgresql")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="cti-bench-") as tmp:
        workdir = Path(tmp)
        for backend in args.backends.split(","):
            async with temp_database(backend, workdir) as url:
                await bench_lookup(backend, url, args.contacts, args.lookups, workdir)
            async with temp_database(backend, workdir) as url:
                await asyncio.to_thread(bench_import, backend, url, args.contacts, workdir)


if __name__ == "__main__":
    asyncio.run(main())
