"""AmiClient against a fake AMI server on a real socket: order, reconnect, half-open, overflow."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from cti.ami.client import AmiClient, ConnectionState
from cti.ami.config import AmiConfig
from cti.state.events import AmiEvent, Resync
from tests.ami.fake_server import FakeAmi

CHANNEL = {"Channel": "PJSIP/1001-00000001", "Uniqueid": "1.1", "Linkedid": "1.1"}


@pytest.fixture
async def server() -> AsyncIterator[FakeAmi]:
    fake = FakeAmi()
    await fake.start()
    yield fake
    await fake.close()


def config(server: FakeAmi, **overrides: float) -> AmiConfig:
    values: dict[str, float] = {"ping_interval": 5.0, "backoff_min": 0.05, "backoff_max": 0.2}
    values.update(overrides)
    return AmiConfig(port=server.port, secret="s", **values)  # type: ignore[arg-type]


async def started(client: AmiClient) -> AmiClient:
    await client.start()
    return client


async def next_item(client: AmiClient, timeout: float = 3.0) -> AmiEvent | Resync:
    return await asyncio.wait_for(client.queue.get(), timeout)


async def next_resync(client: AmiClient, timeout: float = 3.0) -> Resync:
    while not isinstance(item := await next_item(client, timeout), Resync):
        pass
    return item


async def test_resync_first_then_events_in_wire_order(server: FakeAmi) -> None:
    server.channels = [CHANNEL]
    client = await started(AmiClient(config(server)))
    try:
        resync = await next_resync(client)
        assert [c.get("Channel") for c in resync.channels] == ["PJSIP/1001-00000001"]
        assert resync.gap_started_at is None
        for n in range(50):
            server.push({"Event": "VarSet", "Uniqueid": "1.1", "Value": str(n)})
        values = [(await next_item(client)).get("Value") for _ in range(50)]  # type: ignore[union-attr]
        assert values == [str(n) for n in range(50)]
        assert client.state is ConnectionState.CONNECTED
    finally:
        await client.stop()


async def test_reconnects_after_the_server_drops_and_reports_the_gap(server: FakeAmi) -> None:
    client = await started(AmiClient(config(server)))
    try:
        await next_resync(client)
        server.channels = [CHANNEL]
        server.drop_connections()
        resync = await next_resync(client)
        assert resync.gap_started_at is not None
        assert [c.get("Uniqueid") for c in resync.channels] == ["1.1"]
        assert server.logins == 2
        assert client.counters.get("ami_reconnects") == 1
        assert client.last_gap_seconds is not None
        assert client.last_gap_seconds < 2
    finally:
        await client.stop()


async def test_unanswered_pings_drop_a_half_open_connection(server: FakeAmi) -> None:
    client = await started(AmiClient(config(server, ping_interval=0.2)))
    try:
        await next_resync(client)
        server.answer_pings = False
        loop = asyncio.get_running_loop()
        silent_since = loop.time()
        await next_resync(client)
        assert loop.time() - silent_since < 2 * 0.2 + 0.5
        assert client.counters.get("ami_ping_timeouts") == 1
        assert server.logins == 2
    finally:
        await client.stop()


async def test_full_queue_drops_and_resyncs_without_blocking_the_reader(server: FakeAmi) -> None:
    client = await started(AmiClient(AmiConfig(port=server.port, queue_size=10)))
    try:
        await next_resync(client)
        for n in range(25):
            server.push({"Event": "Newexten", "Uniqueid": "1.1", "Priority": str(n)})
        await asyncio.sleep(0.3)
        assert client.counters.get("ami_queue_overflows") >= 1
        assert client.counters.get("ami_events_dropped") >= 10
        assert isinstance(await next_resync(client), Resync)
        server.push({"Event": "Hangup", "Uniqueid": "1.1"})
        assert (await next_item(client)).name == "Hangup"  # type: ignore[union-attr]
    finally:
        await client.stop()


async def test_send_action_returns_plain_dicts(server: FakeAmi) -> None:
    client = await started(AmiClient(config(server)))
    try:
        await next_resync(client)
        [reply] = await client.send_action({"Action": "Ping"})
        assert reply["Ping"] == "Pong"
        assert reply["Response"] == "Success"
    finally:
        await client.stop()


async def test_refused_login_backs_off_and_retries(server: FakeAmi) -> None:
    server.accept_login = False
    client = await started(AmiClient(config(server)))
    try:
        await asyncio.sleep(0.6)
        assert server.logins >= 2
        assert client.state is not ConnectionState.CONNECTED
        server.accept_login = True
        await next_resync(client)
        assert client.metrics()["state"] == "connected"
    finally:
        await client.stop()
