"""The FastAGI server over real TCP: a good session, garbage, a client that vanishes or dawdles."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Mapping

import pytest_asyncio

from cti.routing.agi import AgiRequest, FastAgiServer, quote

ENV = (
    "agi_network: yes\nagi_network_script: route\nagi_callerid: +421900111222\nagi_arg_1: sales\n\n"
)


class Recorder:
    def __init__(self, delay: float = 0.0) -> None:
        self.requests: list[AgiRequest] = []
        self.delay = delay

    async def __call__(self, request: AgiRequest) -> Mapping[str, str]:
        self.requests.append(request)
        await asyncio.sleep(self.delay)
        return {"CTI_ROUTE_TARGET": "1002", "CTI_ROUTE_REASON": 'owner "Al" free'}


@pytest_asyncio.fixture
async def served() -> AsyncIterator[tuple[FastAgiServer, Recorder]]:
    handler = Recorder()
    server = FastAgiServer("127.0.0.1", 0, {"route": handler}, deadline=0.5)
    await server.start()
    yield server, handler
    await server.stop()


async def _open(server: FastAgiServer) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    return await asyncio.open_connection("127.0.0.1", server.bound_port)


async def _closed(reader: asyncio.StreamReader) -> bool:
    return await asyncio.wait_for(reader.read(), 2) == b""


async def test_sets_each_variable_and_reads_the_reply(
    served: tuple[FastAgiServer, Recorder],
) -> None:
    server, handler = served
    reader, writer = await _open(server)
    writer.write(ENV.encode())
    sent = []
    for _ in range(2):
        sent.append((await reader.readline()).decode())
        writer.write(b"200 result=1\n")
    assert sent == [
        'SET VARIABLE CTI_ROUTE_TARGET "1002"\n',
        'SET VARIABLE CTI_ROUTE_REASON "owner \\"Al\\" free"\n',
    ]
    assert await _closed(reader)
    request = handler.requests[0]
    assert (request.script, request.arg(1), request.get("agi_callerid")) == (
        "route",
        "sales",
        "+421900111222",
    )
    assert server.counters.get("agi.answered") == 1
    writer.close()


async def test_garbage_is_dropped_without_an_answer(served: tuple[FastAgiServer, Recorder]) -> None:
    server, handler = served
    reader, writer = await _open(server)
    writer.write(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
    assert await _closed(reader)
    assert handler.requests == []
    assert server.counters.get("agi.protocol_errors") == 1
    writer.close()


async def test_an_endless_line_is_dropped(served: tuple[FastAgiServer, Recorder]) -> None:
    server, _ = served
    reader, writer = await _open(server)
    writer.write(b"agi_x: " + b"y" * 10_000)
    assert await _closed(reader)
    writer.close()


async def test_client_gone_mid_request_leaves_the_server_serving(
    served: tuple[FastAgiServer, Recorder],
) -> None:
    server, handler = served
    _, writer = await _open(server)
    writer.write(b"agi_network: yes\nagi_network_script: rou")
    writer.close()
    await asyncio.sleep(0.1)
    assert server.counters.get("agi.protocol_errors") == 1
    await test_sets_each_variable_and_reads_the_reply((server, handler))


async def test_client_that_never_replies_is_cut_at_the_deadline(
    served: tuple[FastAgiServer, Recorder],
) -> None:
    server, _ = served
    reader, writer = await _open(server)
    writer.write(ENV.encode())
    assert (await reader.readline()).startswith(b"SET VARIABLE")
    started = asyncio.get_running_loop().time()
    assert await _closed(reader)  # no `200 result=1` from us: the session times out
    assert asyncio.get_running_loop().time() - started < 1.0
    assert server.counters.get("agi.timeouts") == 1
    writer.close()


async def test_slow_client_sending_a_line_at_a_time_is_cut(
    served: tuple[FastAgiServer, Recorder],
) -> None:
    server, handler = served
    reader, writer = await _open(server)
    for line in ENV.splitlines()[:3]:
        writer.write(f"{line}\n".encode())
        await asyncio.sleep(0.2)
    assert await _closed(reader)
    assert handler.requests == []
    writer.close()


async def test_hangup_notice_and_usage_replies_are_skipped(
    served: tuple[FastAgiServer, Recorder],
) -> None:
    server, _ = served
    reader, writer = await _open(server)
    writer.write(ENV.encode())
    await reader.readline()
    writer.write(b"HANGUP\n520-Invalid command syntax.\nusage\n520 End of proper usage.\n")
    await reader.readline()
    writer.write(b"511 Command Not Permitted on a dead channel\n")
    assert await _closed(reader)
    assert server.counters.get("agi.answered") == 1
    writer.close()


async def test_unknown_script_gets_no_answer(served: tuple[FastAgiServer, Recorder]) -> None:
    server, handler = served
    reader, writer = await _open(server)
    writer.write(ENV.replace("script: route", "script: other").encode())
    assert await _closed(reader)
    assert handler.requests == []
    writer.close()


def test_quote_escapes_and_flattens() -> None:
    assert quote('a "b" \\ c\nd') == '"a \\"b\\" \\\\ c d"'
