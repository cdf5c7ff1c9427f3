"""bench/scale.py's websocket part: agents on /ws/agent spread over two web replicas.

Processes: one `cti serve --role ingest` and two `cti serve --role web`
(tests/fixtures/processes.py), on a PostgreSQL database of their own and Redis; a fake Asterisk
over TCP in this process (bench/common/ami_server.py's session: Login, Ping, the listings after a
connect) that the ingest reads; `size` agents (users with an extension each, 2000-...)
connected from this process, one asyncio loop with the `websockets` library, alternately to
replica 1 and replica 2.

Calls then ring the agents' extensions, one agent a call, `rate` calls a second: the AMI events
of a ring (Newchannel of the caller and of the agent's phone, DialBegin, Newstate Ringing) are
written to the ingest's socket, and the moment of that write is the ring's start. Its end: the
`ring` frame's arrival at the agent's client (AMI -> ingest's tracker -> pop with its card lookup
-> Redis stream -> the web replica that holds the agent's socket -> websocket). Each call is hung
up a moment later (the frames that follow are read, not timed).

- ring-to-pop p50 / p99 across processes (bars 10 / 50 ms);
- memory per connected client: the web replicas' RSS with every client connected minus with none
  (after a warm-up: a few clients connected, rung and gone), divided by `size` (bar 25 KB).

The baseline, in the same run: the same clients connected to two bare `websockets` servers (their
own processes, serving nothing but a hello, a snapshot and forwarding), the same frames sent
through them (this process -> the server's process -> the client's socket), and their memory per
client the same way. It is the floor of one process hop and one websocket frame on this machine
now; the CTI Bridge's figures are printed beside it.

Correctness (what the suite's small run asserts, tests/bench/test_scale_bench.py): every ring
reached its agent, once, on the replica its socket is on, and nobody else.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import resource
import sys
import tempfile
import time
import uuid
from asyncio.subprocess import PIPE
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine
from websockets.asyncio.client import ClientConnection, connect

from bench.common.ami_server import Session
from bench.common.databases import temp_database
from crm_core.migrate import upgrade
from crm_core.models import User
from crm_core.models.user import UserExtension
from crm_core.security import TokenSigner, hash_password
from crm_core.settings import CrmSettings, signing_key
from cti.bus.redis import STREAM
from tests.fixtures.processes import SECRET, Deployment, Served

BAR_P50_MS, BAR_P99_MS, BAR_CLIENT_BYTES = 10.0, 50.0, 25 * 1024
FIRST_EXTENSION = 2000
AGENT_REGEX = r"^PJSIP/(\d{4})-"
CONNECT_AT_ONCE = 50
CONNECT_SECONDS = 60.0
FRAME_WAIT_SECONDS = 10.0
HANGUP_AFTER = 0.3
SEP = b"\r\n\r\n"
ROOT = Path(__file__).resolve().parents[2]


# -- the fake Asterisk ------------------------------------------------------------------------
class FakeAsterisk:
    """bench/common/ami_server.py's session in this process, so the moment each ring's events
    are written is known here."""

    def __init__(self) -> None:
        self.sessions: list[Session] = []
        self.connected = asyncio.Event()
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    async def start(self) -> int:
        self._server = await asyncio.start_server(self._accept, "127.0.0.1", 0)
        return int(self._server.sockets[0].getsockname()[1])

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        session = Session(reader, writer)
        self.sessions.append(session)
        self.connected.set()
        task = asyncio.current_task()
        if task is not None:
            self._tasks.add(task)
        try:
            await session.run()
        finally:
            self.sessions.remove(session)
            if task is not None:
                self._tasks.discard(task)

    def _write(self, *events: dict[str, str]) -> float:
        data = b"".join(
            ("\r\n".join(f"{k}: {v}" for k, v in event.items())).encode() + SEP for event in events
        )
        stamp = time.time()
        for session in self.sessions:
            session.writer.write(data)
        return stamp

    def ring(self, n: int, extension: str) -> float:
        """A caller's call ringing `extension`'s phone; the time its events were written."""
        caller, linkedid = f"PJSIP/trunk-{n:08x}", linkedid_of(n)
        phone, leg = f"PJSIP/{extension}-{n:08x}", f"{linkedid}.1"
        return self._write(
            _event("Newchannel", caller, linkedid, linkedid, ChannelState="0"),
            _event("Newchannel", phone, leg, linkedid, ChannelState="0"),
            _event("DialBegin", caller, linkedid, linkedid, DestChannel=phone, DestUniqueid=leg),
            _event("Newstate", phone, leg, linkedid, ChannelState="5"),
        )

    def hang_up(self, n: int, extension: str) -> None:
        caller, linkedid = f"PJSIP/trunk-{n:08x}", linkedid_of(n)
        phone = f"PJSIP/{extension}-{n:08x}"
        self._write(
            _event("DialEnd", caller, linkedid, linkedid, DestChannel=phone, DialStatus="CANCEL"),
            _event("Hangup", phone, f"{linkedid}.1", linkedid, Cause="16"),
            _event("Hangup", caller, linkedid, linkedid, Cause="16"),
        )

    async def close(self) -> None:
        for session in self.sessions:
            session.writer.transport.abort()
        if self._server is not None:
            self._server.close()
        await asyncio.gather(*self._tasks, return_exceptions=True)


def phase(what: str, began: float) -> None:
    """What the part is doing, on stderr (the figures go to stdout)."""
    print(f"  [{time.monotonic() - began:6.1f} s] {what}", file=sys.stderr, flush=True)


def linkedid_of(n: int) -> str:
    return f"1790000000.{n}"


def _event(name: str, channel: str, uniqueid: str, linkedid: str, **extra: str) -> dict[str, str]:
    return {
        "Event": name, "Privilege": "call,all", "Channel": channel, "CallerIDNum": "0900123456",
        "CallerIDName": "Bench Caller", "Exten": "100", "Context": "from-trunk",
        "Uniqueid": uniqueid, "Linkedid": linkedid, **extra,
    }  # fmt: skip


class StreamProbe:
    """When each ring's message appeared on the Redis stream (one XREAD reader of its own in this
    process): splits the ring-to-pop time into the ingest's part and the web replica's."""

    def __init__(self, redis_url: str) -> None:
        self._redis = Redis.from_url(redis_url)
        self.seen: dict[str, float] = {}  # linkedid -> when the ring's entry was read
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        newest: Any = await self._redis.xrevrange(STREAM, count=1)
        last: bytes = newest[0][0] if newest else b"0-0"
        self._task = asyncio.create_task(self._read(last))

    async def _read(self, last: bytes) -> None:
        while True:
            answer: Any = await self._redis.xread({STREAM: last}, count=500, block=1000)
            now = time.time()
            for _stream, entries in answer or ():
                for entry_id, fields in entries:
                    last = entry_id
                    message = json.loads(fields[b"message"])
                    if message.get("type") == "ring":
                        self.seen.setdefault(str(message["linkedid"]), now)

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
        await self._redis.aclose()


# -- the clients ------------------------------------------------------------------------------
@dataclass
class Client:
    extension: str
    url: str
    token: str
    replica: str
    rings: dict[str, float] = field(default_factory=dict)  # linkedid -> arrival
    connected: asyncio.Event = field(default_factory=asyncio.Event)
    task: asyncio.Task[None] | None = None
    failed: str = ""  # why it could not connect (refused, closed, timed out)
    dropped: str = ""  # why the server closed it after it was connected


async def _client(client: Client, hello: Callable[[dict[str, Any]], None] | None) -> None:
    try:
        await _session(client, hello)
    except asyncio.CancelledError:
        raise
    except Exception as exc:  # counted: a refused or dropped client is a figure, not a crash
        if client.connected.is_set():
            client.dropped = repr(exc)
        else:
            client.failed = repr(exc)
            client.connected.set()


async def _session(client: Client, hello: Callable[[dict[str, Any]], None] | None) -> None:
    websocket: ClientConnection
    async with connect(client.url, open_timeout=30, close_timeout=2, max_queue=64) as websocket:
        await websocket.send(json.dumps({"type": "auth", "token": client.token}))
        for expected in ("hello", "snapshot"):
            first = json.loads(await websocket.recv())
            if first.get("type") != expected:
                raise RuntimeError(f"agent {client.extension}: expected {expected}, got {first}")
            if hello is not None and expected == "hello":
                hello(first)
        client.connected.set()
        async for raw in websocket:
            now = time.time()
            message = json.loads(raw)
            if message.get("type") == "ring":
                client.rings.setdefault(str(message["linkedid"]), now)


async def connect_all(clients: Sequence[Client]) -> list[Client]:
    """Every client connected and past its snapshot, CONNECT_AT_ONCE at a time; those that
    could not connect within CONNECT_SECONDS are returned (each says why in `failed`)."""
    for start in range(0, len(clients), CONNECT_AT_ONCE):
        batch = clients[start : start + CONNECT_AT_ONCE]
        for client in batch:
            client.failed = client.dropped = ""
            client.task = asyncio.create_task(_client(client, None))
        ready = asyncio.gather(*(c.connected.wait() for c in batch))
        try:
            await asyncio.wait_for(ready, CONNECT_SECONDS)
        except TimeoutError:
            for client in batch:
                if not client.connected.is_set():
                    client.failed = f"not connected within {CONNECT_SECONDS:g} s"
    return [c for c in clients if c.failed]


async def disconnect_all(clients: Sequence[Client]) -> None:
    tasks = [c.task for c in clients if c.task is not None]
    for task in tasks:
        task.cancel()
    if tasks:  # a close handshake that never ends is not waited for
        await asyncio.wait(tasks, timeout=30)
    for client in clients:
        client.task = None
        client.connected = asyncio.Event()


# -- rings ------------------------------------------------------------------------------------
@dataclass
class Rings:
    sent: dict[str, tuple[str, float]] = field(default_factory=dict)  # linkedid -> (ext, stamp)
    latencies_ms: list[float] = field(default_factory=list)
    to_stream_ms: list[float] = field(default_factory=list)  # AMI write -> entry on the stream
    from_stream_ms: list[float] = field(default_factory=list)  # entry on the stream -> client
    lost: int = 0
    misdelivered: int = 0
    doubled: int = 0

    def settle(self, clients: Sequence[Client], seen: dict[str, float] | None = None) -> None:
        by_extension = {c.extension: c for c in clients}
        for linkedid, (extension, stamp) in self.sent.items():
            on_stream = seen.get(linkedid) if seen is not None else None
            if on_stream is not None:
                self.to_stream_ms.append((on_stream - stamp) * 1000)
            arrival = by_extension[extension].rings.get(linkedid)
            if arrival is None:
                self.lost += 1
            else:
                self.latencies_ms.append((arrival - stamp) * 1000)
                if on_stream is not None:
                    self.from_stream_ms.append((arrival - on_stream) * 1000)
        receivers: dict[str, int] = {}
        for client in clients:
            for linkedid in client.rings:
                receivers[linkedid] = receivers.get(linkedid, 0) + 1
                if linkedid in self.sent and self.sent[linkedid][0] != client.extension:
                    self.misdelivered += 1
        self.doubled = sum(1 for count in receivers.values() if count > 1)

    def percentile(self, q: float) -> float:
        return percentile(self.latencies_ms, q)


def percentile(values: Sequence[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


async def ring_all(
    ring: Callable[[int, str], float], hang_up: Callable[[int, str], Awaitable[None] | None],
    clients: Sequence[Client], count: int, rate: float, first: int,
    seen: dict[str, float] | None = None,
) -> Rings:  # fmt: skip
    """`count` calls, one agent each (spread over every client), `rate` a second."""
    rings = Rings()
    pending: set[asyncio.Task[None]] = set()
    began = time.monotonic()
    step = max(1, len(clients) // max(1, count)) if count < len(clients) else 1
    for i in range(count):
        due = began + i / rate
        await asyncio.sleep(max(0.0, due - time.monotonic()))
        n = first + i
        client = clients[(i * step + i // len(clients)) % len(clients)]
        rings.sent[linkedid_of(n)] = (client.extension, ring(n, client.extension))
        pending.add(asyncio.create_task(_later(HANGUP_AFTER, hang_up, n, client.extension)))
    await asyncio.gather(*pending)
    deadline = time.monotonic() + FRAME_WAIT_SECONDS
    by_extension = {c.extension: c for c in clients}
    while time.monotonic() < deadline and any(  # noqa: ASYNC110 - 2,000 clients' dicts
        lid not in by_extension[ext].rings for lid, (ext, _) in rings.sent.items()
    ):
        await asyncio.sleep(0.05)
    await asyncio.sleep(0.2)  # a doubled frame would be here by now
    rings.settle(clients, seen)
    return rings


async def _later(
    delay: float, call: Callable[[int, str], Awaitable[None] | None], n: int, ext: str
) -> None:
    await asyncio.sleep(delay)
    result = call(n, ext)
    if result is not None:
        await result


# -- memory -----------------------------------------------------------------------------------
def rss_bytes(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError(f"no VmRSS for {pid}")


async def settled_rss(pids: Sequence[int], seconds: float = 1.0) -> int:
    await asyncio.sleep(seconds)
    return sum(rss_bytes(pid) for pid in pids)


# -- the deployment ---------------------------------------------------------------------------
async def seed_agents(database_url: str, size: int) -> dict[str, str]:
    """`size` agents (one hash for all: argon2 2,000 times would be minutes), their tokens."""
    engine = create_async_engine(database_url)
    try:
        await upgrade(engine)
        password = hash_password(uuid.uuid4().hex)
        sessions = async_sessionmaker(engine, expire_on_commit=False)
        async with sessions.begin() as session:
            users = [
                User(login=f"agent{FIRST_EXTENSION + i}", display_name=f"Agent {i}",
                     password_hash=password, role="agent", active=True)
                for i in range(size)
            ]  # fmt: skip
            session.add_all(users)
            await session.flush()
            session.add_all(
                UserExtension(extension=str(FIRST_EXTENSION + i), user_id=user.id)
                for i, user in enumerate(users)
            )
            ids = [(str(FIRST_EXTENSION + i), user.id) for i, user in enumerate(users)]
    finally:
        await engine.dispose()
    settings = CrmSettings(database_url=database_url, secret_key=SECRET)
    signer = TokenSigner(signing_key(settings), settings.token_ttl_seconds)
    return {extension: signer.issue(user_id) for extension, user_id in ids}


async def forget_bus(redis_url: str) -> None:
    redis = Redis.from_url(redis_url)
    try:
        async for key in redis.scan_iter(match="cti:*"):
            await redis.delete(key)
    finally:
        await redis.aclose()


def raise_fd_limit(needed: int) -> int:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = hard if hard != resource.RLIM_INFINITY else max(soft, needed)
    if soft < want:
        resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))
    if want < needed:
        raise RuntimeError(f"{needed} sockets need an fd limit of {needed}; the hard one is {hard}")
    return want


@contextlib.asynccontextmanager
async def deployed(
    database_url: str, redis_url: str, ami_port: int, folder: Path
) -> AsyncIterator[tuple[Served, Served, Served]]:
    deployment = Deployment(database_url, redis_url, folder, ("127.0.0.1", ami_port, "cti", "x"))
    # the fake Asterisk shares this process's loop with every client: a 1 s Ping deadline (the
    # test deployments') would drop the AMI session while 2,000 sockets connect
    extra = {"CTI_AGENT_CHANNEL_REGEX": AGENT_REGEX, "CTI_AMI_PING_INTERVAL": "20"}
    try:
        ingest = deployment.add("ingest", "ingest", **extra)
        await asyncio.to_thread(ingest.wait, "/readyz")
        webs = [deployment.add(f"web{i}", "web", **extra) for i in (1, 2)]
        for web in webs:
            await asyncio.to_thread(web.wait, "/readyz")
        yield ingest, webs[0], webs[1]
    finally:
        await asyncio.to_thread(deployment.stop)


# -- the baseline: bare websockets servers ----------------------------------------------------
BARE_SERVER = """
import asyncio, json, sys
from websockets.asyncio.server import serve
sockets = {}
async def handle(ws):
    first = json.loads(await ws.recv())
    if first.get("type") == "control":
        async for raw in ws:
            message = json.loads(raw)
            target = sockets.get(message["to"])
            if target is not None:
                await target.send(json.dumps(message["frame"]))
        return
    ext = first["token"]
    sockets[ext] = ws
    await ws.send(json.dumps({"type": "hello", "extensions": [ext]}))
    await ws.send(json.dumps({"type": "snapshot", "pops": []}))
    try:
        await ws.wait_closed()
    finally:
        sockets.pop(ext, None)
async def main():
    async with serve(handle, "127.0.0.1", 0, max_queue=64) as server:
        print("PORT", server.sockets[0].getsockname()[1], flush=True)
        await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)
asyncio.run(main())
"""


@contextlib.asynccontextmanager
async def bare_servers(count: int) -> AsyncIterator[list[tuple[asyncio.subprocess.Process, int]]]:
    started: list[tuple[asyncio.subprocess.Process, int]] = []
    try:
        for _ in range(count):
            process = await asyncio.create_subprocess_exec(
                sys.executable, "-c", BARE_SERVER, stdin=PIPE, stdout=PIPE
            )
            assert process.stdout is not None
            line = await asyncio.wait_for(process.stdout.readline(), 30)
            started.append((process, int(line.split()[1])))
        yield started
    finally:
        for process, _port in started:
            if process.stdin is not None:
                process.stdin.close()
            try:
                await asyncio.wait_for(process.wait(), 5)
            except TimeoutError:
                process.kill()
                await process.wait()


# -- the part ---------------------------------------------------------------------------------
@dataclass
class Side:
    name: str
    rings: Rings
    per_client_bytes: float
    rss_without: int
    rss_with: int
    replicas_used: int
    connected: int = 0
    refused: int = 0  # could not connect
    dropped: int = 0  # closed by the server while connected
    reasons: list[str] = field(default_factory=list)

    def describe(self, size: int) -> str:
        r = self.rings
        refused = (
            f"{self.connected}/{size} connected, {self.refused} refused, {self.dropped} dropped "
            f"({'; '.join(self.reasons)}); "
            if self.refused or self.dropped
            else f"{self.connected}/{size} connected; "
        )
        return refused + (
            f"p50 {r.percentile(50):.1f} ms, p99 {r.percentile(99):.1f} ms, max "
            f"{max(r.latencies_ms, default=float('nan')):.1f} ms over {len(r.latencies_ms)} rings "
            f"({r.lost} lost, {r.misdelivered} to someone else, {r.doubled} doubled); "
            + (
                f"AMI write -> on the Redis stream p50 {percentile(r.to_stream_ms, 50):.1f} ms, "
                f"p99 {percentile(r.to_stream_ms, 99):.1f} ms; "
                if r.to_stream_ms
                else ""
            )
            + f"{self.per_client_bytes / 1024:.1f} KB per client (RSS {self.rss_without / 1e6:.0f} "
            f"-> {self.rss_with / 1e6:.0f} MB with {self.connected} sockets on "
            f"{self.replicas_used} processes)"
        )


@dataclass
class WsResult:
    size: int
    bridge: Side
    baseline: Side

    @property
    def correct(self) -> bool:
        r = self.bridge.rings
        return (
            r.lost == 0
            and r.misdelivered == 0
            and r.doubled == 0
            and self.bridge.replicas_used == 2
            and self.bridge.refused == 0
            and self.bridge.dropped == 0
        )


async def _measure(
    name: str, clients: list[Client], pids: Sequence[int], warm: Callable[[], Awaitable[None]],
    ring: Callable[[int, str], float], hang_up: Callable[[int, str], Awaitable[None] | None],
    rings: int, rate: float, first: int, seen: dict[str, float] | None = None,
) -> Side:  # fmt: skip
    began = time.monotonic()
    await warm()
    without = await settled_rss(pids)
    phase(f"{name}: connecting {len(clients)} clients", began)
    refused = await connect_all(clients)
    with_all = await settled_rss(pids)
    connected = [c for c in clients if not c.failed]
    phase(f"{name}: {len(connected)} connected; {rings} rings", began)
    try:
        result = await ring_all(ring, hang_up, connected, rings, rate, first, seen)
    finally:
        phase(f"{name}: disconnecting", began)
        await disconnect_all(clients)
    dropped = [c for c in clients if c.dropped]
    per_client = (with_all - without) / max(1, len(connected))
    replicas = len({c.replica for c in connected})
    reasons = sorted({c.failed for c in refused} | {c.dropped for c in dropped})
    return Side(name, result, per_client, without, with_all, replicas, len(connected),
                len(refused), len(dropped), reasons[:3])  # fmt: skip


async def run_ws(
    size: int = 2000, rings: int = 200, rate: float = 20.0,
    redis_url: str = "redis://127.0.0.1:6379/9", workdir: Path | None = None,
    database: AbstractAsyncContextManager[str] | None = None,
) -> WsResult:  # fmt: skip
    """`database`: gives the URL of an empty PostgreSQL database (default: a temporary one on
    CTI_BENCH_PG)."""
    raise_fd_limit(2 * size + 200)
    folder = Path(workdir or tempfile.mkdtemp(prefix="cti-scale-ws-"))
    database = database or temp_database("postgresql", folder, prefix="scale_ws")
    began = time.monotonic()
    await forget_bus(redis_url)
    phase(f"baseline: {size} clients on two bare websockets servers", began)
    baseline = await _baseline(size, rings, rate)
    async with database as database_url:
        phase(f"{size} agents into a migrated database", began)
        tokens = await seed_agents(database_url, size)
        fake = FakeAsterisk()
        ami_port = await fake.start()
        try:
            phase("starting the ingest and two web replicas", began)
            async with deployed(database_url, redis_url, ami_port, folder) as (ingest, *webs):
                await asyncio.wait_for(fake.connected.wait(), 30)
                phase(f"{size} clients on the web replicas, {rings} rings", began)
                clients = [
                    Client(ext, webs[i % 2].ws_url, token, webs[i % 2].name)
                    for i, (ext, token) in enumerate(sorted(tokens.items()))
                ]
                pids = [web.process.pid for web in webs if web.process is not None]
                warmers = clients[: min(len(clients), 20)]

                async def warm() -> None:
                    await connect_all(warmers)
                    await ring_all(fake.ring, fake.hang_up, warmers, len(warmers), rate, 0)
                    await disconnect_all(warmers)
                    for client in warmers:
                        client.rings.clear()

                probe = StreamProbe(redis_url)
                await probe.start()
                try:
                    bridge = await _measure(
                        "CTI Bridge", clients, pids, warm, fake.ring, fake.hang_up, rings, rate,
                        1000, probe.seen,
                    )  # fmt: skip
                finally:
                    await probe.close()
                if ingest.process is None or ingest.process.poll() is not None:
                    raise RuntimeError("the ingest died during the run")
                metrics = await asyncio.to_thread(ingest.wait, "/metrics")
                (folder / "ingest-metrics.txt").write_text(metrics.text)
                phase("stopping the processes", began)
        finally:
            await fake.close()
    return WsResult(size, bridge, baseline)


async def _baseline(size: int, rings: int, rate: float) -> Side:
    async with bare_servers(2) as servers:
        urls = [f"ws://127.0.0.1:{port}/" for _process, port in servers]
        controls = [await connect(url) for url in urls]
        try:
            for control in controls:
                await control.send(json.dumps({"type": "control"}))
            clients = [
                Client(
                    str(FIRST_EXTENSION + i), urls[i % 2], str(FIRST_EXTENSION + i), f"bare{i % 2}"
                )
                for i in range(size)
            ]
            index = {c.extension: i % 2 for i, c in enumerate(clients)}
            sends: set[asyncio.Task[None]] = set()

            def ring(n: int, extension: str) -> float:
                frame = {"type": "ring", "linkedid": linkedid_of(n)}
                stamp = time.time()
                task = asyncio.create_task(
                    controls[index[extension]].send(json.dumps({"to": extension, "frame": frame}))
                )
                sends.add(task)
                task.add_done_callback(sends.discard)
                return stamp

            async def hang_up(n: int, extension: str) -> None:
                frame = {"type": "ended", "linkedid": linkedid_of(n)}
                await controls[index[extension]].send(json.dumps({"to": extension, "frame": frame}))

            warmers = clients[: min(len(clients), 20)]

            async def warm() -> None:
                await connect_all(warmers)
                await ring_all(ring, hang_up, warmers, len(warmers), rate, 0)
                await disconnect_all(warmers)
                for client in warmers:
                    client.rings.clear()

            pids = [process.pid for process, _port in servers]
            return await _measure("bare websockets", clients, pids, warm, ring, hang_up,
                                  rings, rate, 1000)  # fmt: skip
        finally:
            for control in controls:
                await control.close()


def add_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("ws: websocket agents over two web replicas")
    group.add_argument("--ws-clients", type=int, default=2000)
    group.add_argument("--ws-rings", type=int, default=200)
    group.add_argument("--ws-rate", type=float, default=20.0, help="rings a second")
    group.add_argument(
        "--redis", default=os.environ.get("CTI_BENCH_REDIS", "redis://127.0.0.1:6379/9")
    )


def verdict(bar: str, ok: bool) -> str:
    return "" if not bar else "pass" if ok else "FAIL"


def report(result: WsResult) -> bool:
    """Prints the figures against their bars and the baseline; True when every bar is met."""
    bridge, base = result.bridge, result.baseline
    p50, p99 = bridge.rings.percentile(50), bridge.rings.percentile(99)
    rows = [
        ("ring-to-pop p50 (AMI write -> frame at the client)", f"{p50:.1f} ms",
         f"<= {BAR_P50_MS:g} ms", p50 <= BAR_P50_MS, f"{base.rings.percentile(50):.1f} ms"),
        ("  of which AMI write -> on the Redis stream (ingest), p50",
         f"{percentile(bridge.rings.to_stream_ms, 50):.1f} ms", "", True, ""),
        ("  of which the Redis stream -> the client (web replica), p50",
         f"{percentile(bridge.rings.from_stream_ms, 50):.1f} ms", "", True, ""),
        ("ring-to-pop p99", f"{p99:.1f} ms", f"<= {BAR_P99_MS:g} ms", p99 <= BAR_P99_MS,
         f"{base.rings.percentile(99):.1f} ms"),
        ("memory per connected client (web replicas' RSS)",
         f"{bridge.per_client_bytes / 1024:.1f} KB", f"<= {BAR_CLIENT_BYTES // 1024} KB",
         bridge.per_client_bytes <= BAR_CLIENT_BYTES, f"{base.per_client_bytes / 1024:.1f} KB"),
        ("every agent connected; every ring to its agent once, on both replicas",
         f"{bridge.connected}/{result.size}; {len(bridge.rings.latencies_ms)}/"
         f"{len(bridge.rings.sent)}", "all, once", result.correct, ""),
    ]  # fmt: skip
    print(f"ws: {result.size:,} websocket agents over two web replicas, one ingest, fake AMI")
    print(f"  CTI Bridge:      {bridge.describe(result.size)}")
    print(f"  bare websockets: {base.describe(result.size)}")
    width = max(len(r[0]) for r in rows)
    print(f"  {'metric'.ljust(width)}  {'value':>10}  {'bar':>10}  result  baseline (bare)")
    for name, value, bar, ok, baseline in rows:
        print(f"  {name.ljust(width)}  {value:>10}  {bar:>10}  {verdict(bar, ok):6}  {baseline}")
    return all(ok for *_rest, ok, _b in rows)


NEEDS_SANDBOX = False  # a fake Asterisk over TCP


async def run(args: argparse.Namespace, _sandbox: object, workdir: Path) -> bool:
    """bench/scale.py's entry: the part at the sizes asked; True when every bar is met."""
    result = await run_ws(args.ws_clients, args.ws_rings, args.ws_rate, args.redis, workdir)
    return report(result)
