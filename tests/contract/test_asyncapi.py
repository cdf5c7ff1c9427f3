"""docs/asyncapi.yaml against what the server really sends: /ws/agent and /ws/supervisor frames
during AMI traffic from the fake Asterisk, and webhook bodies from the outbox."""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path
from typing import Any

import jsonschema_rs
import yaml
from sqlalchemy import select
from websockets.asyncio.client import ClientConnection

from bench.common.synth import build_stream, load_scenarios
from crm_core.models import WebhookEvent
from crm_core.services import Services
from cti.bridge import Bridge
from tests.crm_core.conftest import SYSTEM
from tests.fixtures.bridge import agent_socket, consumed, wait_until
from tests.fixtures.db import LoginAs
from tests.metrics.test_metrics import fake_asterisk, served
from tests.webhooks.conftest import whole_call

DOCUMENT = yaml.safe_load(
    (Path(__file__).resolve().parents[2] / "docs" / "asyncapi.yaml").read_text()
)


def validator(channel: str, frame: dict[str, Any]) -> Any:
    """The schema of the channel's message for this frame's type (components inlined)."""
    name = "event" if channel == "webhooks" else frame["type"]
    ref = DOCUMENT["channels"][channel]["messages"][name]["$ref"].rsplit("/", 1)[1]
    schema = dict(DOCUMENT["components"]["messages"][ref]["payload"])
    schema["components"] = DOCUMENT["components"]
    text = json.dumps(schema).replace("#/components/schemas/", "#/components/schemas/")
    return jsonschema_rs.validator_for(json.loads(text))


def check(channel: str, frames: list[dict[str, Any]]) -> set[str]:
    for frame in frames:
        errors = [str(e) for e in validator(channel, frame).iter_errors(frame)]
        assert not errors, (frame.get("type"), errors)
    return {frame.get("type", "") for frame in frames}


async def collect(websocket: ClientConnection, seconds: float) -> list[dict[str, Any]]:
    frames: list[dict[str, Any]] = []
    deadline = time.monotonic() + seconds
    while (left := deadline - time.monotonic()) > 0:
        try:
            frames.append(json.loads(await asyncio.wait_for(websocket.recv(), left)))
        except TimeoutError:
            break
    return frames


async def test_websocket_frames_match_the_document(
    served: tuple[str, Bridge], login_as: LoginAs, tmp_path: Path
) -> None:
    url, bridge = served
    agent = await login_as("agent", extensions=[f"10{n:02d}" for n in range(1, 11)])
    boss = await login_as("supervisor")
    ws = url.replace("http", "ws")
    stream = build_stream(load_scenarios(), 400, concurrency=20, base_time=time.time())
    path = stream.write(tmp_path / "traffic.ami")
    async with (
        agent_socket(f"{ws}/ws/agent", agent.token) as pops,
        agent_socket(f"{ws}/ws/supervisor", boss.token) as stats,
    ):
        await bridge.ami.send_action({"Action": "BenchStream", "File": str(path), "Rate": "0"})
        await wait_until(lambda: consumed(bridge) >= stream.events, 60, "traffic")
        agent_frames, supervisor_frames = await asyncio.gather(collect(pops, 3), collect(stats, 3))
    assert {"hello", "snapshot"} <= check("agent", agent_frames)
    assert {"hello", "snapshot"} <= check("supervisor", supervisor_frames)


def test_pop_frames_as_the_publisher_builds_them_match_the_document() -> None:
    from cti.screenpop.messages import pop, withdraw
    from tests.screenpop.test_publisher import BASE, CARD

    frames = [pop(kind, BASE, CARD) for kind in ("ring", "answered", "ended")]
    frames += [pop("ring", BASE, None), withdraw(BASE.linkedid, "answered by 1002")]
    assert check("agent", frames) == {"ring", "answered", "ended", "withdraw"}


def test_live_transcript_frames_as_the_runtime_builds_them_match_the_document() -> None:
    from cti.live.frames import live_line, live_stopped

    partial = {"kind": "partial", "utt": 0, "text": "my invoice", "at": 1.2}
    final = {"kind": "final", "utt": 0, "text": "my invoice is wrong", "start": 0.5, "end": 2.1}
    frames = [
        live_line("l.1", "1001", "caller", partial),
        live_line("l.1", "1001", "agent", final),
        live_stopped("l.1", "1001", "caller", "decoder_failed", "exit code -9"),
        live_stopped("l.1", "1001", None, "capacity", "2 calls"),
    ]
    for channel in ("agent", "supervisor"):
        assert check(channel, frames) == {"live_transcript", "live_transcript_stopped"}


async def test_webhook_bodies_match_the_document(services: Services) -> None:
    from crm_core.webhooks.call_events import CallWebhookEvents

    services.calls.add_hook(CallWebhookEvents(pbx="pbx1"))
    await services.calls.register(SYSTEM, whole_call("A1"))
    async with services.sessions() as session:
        bodies = [json.loads(b) for b in await session.scalars(select(WebhookEvent.body))]
    assert len(bodies) == 4
    check("webhooks", bodies)


__all__ = ["fake_asterisk", "served"]
