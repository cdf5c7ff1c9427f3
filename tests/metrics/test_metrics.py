"""/metrics after real traffic, parsed by Prometheus' own parser: AMI over TCP from the fake
Asterisk (recorded scenarios with fresh timestamps), a FastAGI session, an agent's websocket."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
import pytest_asyncio
import uvicorn
from prometheus_client.parser import text_string_to_metric_families
from prometheus_client.samples import Sample

from bench.common.synth import build_stream, load_scenarios
from crm_core.services import Services
from crm_core.settings import CrmSettings
from cti.ami.client import ConnectionState
from cti.bridge import Bridge
from cti.composition import build_app
from cti.routing.settings import TelephonySettings
from cti.settings import BridgeSettings
from tests.fixtures.bridge import (
    agent_socket,
    consumed,
    free_port,
    next_message,
    wait_until,
)
from tests.fixtures.db import LoginAs

ROOT = Path(__file__).resolve().parents[2]
AGI_ENV = "agi_network: yes\nagi_network_script: route\nagi_callerid: +421900111222\n" \
          "agi_arg_1: sales\nagi_arg_2: +421900111222\nagi_arg_3: 100\n\n"  # fmt: skip


@pytest.fixture
def fake_asterisk() -> Iterator[int]:
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "bench" / "common" / "ami_server.py")],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert process.stdout is not None
    word, port = process.stdout.readline().split()
    assert word == "PORT"
    yield int(port)
    assert process.stdin is not None
    process.stdin.close()
    process.wait(10)
    process.stdout.close()


@pytest_asyncio.fixture
async def served(
    fake_asterisk: int, crm_settings: CrmSettings, services: Services
) -> AsyncIterator[tuple[str, Bridge]]:
    settings = BridgeSettings(ami_port=fake_asterisk, agi_port=free_port(), sandbox=False,
                              cel_path="", ami_ping_interval=1.0)  # fmt: skip
    app = build_app(crm_settings, settings, services, telephony=TelephonySettings())
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    task = asyncio.create_task(server.serve())
    bridge: Bridge = app.state.bridge
    try:
        await wait_until(lambda: server.started, 15, "the server")
        await wait_until(lambda: bridge.ami.state is ConnectionState.CONNECTED, 15, "AMI")
        yield f"http://127.0.0.1:{port}", bridge
    finally:
        server.should_exit = True
        await asyncio.wait_for(task, 30)


async def one_agi_session(port: int) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(AGI_ENV.encode())
    while await reader.readline():
        writer.write(b"200 result=1\n")
    writer.close()


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    found: dict[tuple[str, tuple[tuple[str, str], ...]], float] = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            found[_key(sample)] = sample.value
    return found


def _key(sample: Sample) -> tuple[str, tuple[tuple[str, str], ...]]:
    return sample.name, tuple(sorted(sample.labels.items()))


async def test_metrics_after_real_traffic(
    served: tuple[str, Bridge], login_as: LoginAs, tmp_path: Path
) -> None:
    url, bridge = served
    agent = await login_as("agent", extensions=["1001"])
    stream = build_stream(load_scenarios(), 400, concurrency=20, base_time=time.time())
    path = stream.write(tmp_path / "traffic.ami")
    async with agent_socket(url.replace("http", "ws") + "/ws/agent", agent.token) as websocket:
        assert (await next_message(websocket))["type"] == "hello"
        await bridge.ami.send_action({"Action": "BenchStream", "File": str(path), "Rate": "0"})
        await wait_until(lambda: consumed(bridge) >= stream.events, 60, "traffic")
        await one_agi_session(bridge.settings.agi_port)
        async with httpx.AsyncClient() as client:
            response = await client.get(f"{url}/metrics")
    assert response.headers["content-type"].startswith("text/plain")
    found = samples(response.text)
    assert found[("cti_ami_connected", ())] == 1
    skipped = found[("cti_ami_varsets_skipped_total", ())]
    assert skipped > 0, "the stream holds VarSets the bridge does not read"
    assert found[("cti_ami_events_total", ())] + skipped >= stream.events
    assert found[("cti_tracker_events_total", ())] + skipped >= stream.events
    assert ("cti_tracker_open_calls", ()) in found
    assert found[("cti_ingest_lag_seconds", ())] >= 0
    assert ("cti_stage_backlog", (("stage", "calllog"),)) in found
    assert ("cti_stage_overflow_total", (("stage", "pops"),)) in found
    assert found[("cti_pops_sent_total", (("type", "ring"),))] > 0
    assert found[("cti_ring_to_pop_seconds_count", ())] > 0
    assert found[("cti_agi_sessions_total", (("outcome", "answered"),))] == 1
    assert found[("cti_agi_answer_seconds_count", ())] == 1
    assert found[("cti_websocket_clients", (("endpoint", "agent"),))] == 1
    assert found[("cti_websocket_clients", (("endpoint", "supervisor"),))] == 0
    assert ("cti_database_retries_total", (("writer", "calllog"),)) in found
    assert ("cti_webhook_deliveries_total", (("result", "delivered"),)) in found
    assert found[("cti_agi_answer_seconds_bucket", (("le", "+Inf"),))] == 1
