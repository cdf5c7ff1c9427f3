"""Two real Asterisks (the sandbox's instances 1 and 2) feeding one CRM on PostgreSQL (issue 14).

One `cti serve` process serves both PBXs (CTI_PBXS: "default" on AMI 5038, "brno" on AMI 5039):
- a customer calls the sales queue of each PBX at once; on each, extension 1002 answers. The two
  1002s are two people (anna on default, boris on brno): each gets the pops of their own PBX's
  call only, the calls are two records on the client's card, each with its PBX and its agent;
- a missed call on brno: the follow-up rules run once (one call-back task for it);
- a colliding Linkedid for real: the same call is Originated on both PBXs with the same
  ChannelId (Asterisk's linkedid is the first channel's uniqueid): two records, one per PBX;
- the calls list and the reports filter by PBX.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import uvicorn
from sqlalchemy import func, select
from websockets.asyncio.client import ClientConnection

from crm_core.models import Task
from crm_core.models.enums import Role
from crm_core.services import Services
from crm_core.services.dto import Actor, CallFilter, CallOut, ContactCreate, PhoneIn, UserCreate
from crm_core.settings import CrmSettings
from cti.ami.client import ConnectionState
from cti.bridge import Bridge
from cti.composition import build_app
from cti.routing.settings import TelephonySettings
from cti.sandbox.manager import ConnectionInfo, Sandbox
from cti.sandbox.settings import SandboxSettings
from cti.sandbox.sim.ami_kit import settle
from cti.sandbox.sim.scenario_kit import CUSTOMER, talk
from cti.sandbox.sim.scenarios import queue_abandoned, queue_ringall_one_answers
from cti.sandbox.sim.world import World, open_world
from cti.sandbox.sip.calls import AnswerPlan
from cti.settings import BridgeSettings
from tests.fixtures.bridge import (
    agent_socket,
    bridge_settings,
    free_port,
    next_message,
    sandbox_queues_conf,
    wait_until,
)
from tests.fixtures.db import TEST_PASSWORD

pytestmark = pytest.mark.asterisk
SYSTEM = Actor.system()


def _two_pbxs(first: ConnectionInfo, second: ConnectionInfo) -> BridgeSettings:
    brno_cel = str(Sandbox(SandboxSettings.from_env(), 2).layout.cel_log)
    pbxs = [
        {"name": "default"},
        {"name": "brno", "ami_port": second.port, "agi_port": second.agi_port,
         "cel_path": brno_cel, "queues_conf": sandbox_queues_conf()},
    ]  # fmt: skip
    return bridge_settings(first, pbxs=pbxs)


@contextlib.asynccontextmanager
async def _serving(
    crm_settings: CrmSettings, settings: BridgeSettings, services: Services
) -> AsyncIterator[tuple[str, list[Bridge]]]:
    telephony = TelephonySettings(agi_enabled=False)  # calls go straight to their queues
    app = build_app(crm_settings, settings, services=services, telephony=telephony)
    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    bridges: list[Bridge] = app.state.bridges
    try:
        await wait_until(lambda: server.started, 15, "the server")
        connected = ConnectionState.CONNECTED
        await wait_until(lambda: all(b.ami.state is connected for b in bridges), 15, "both AMIs")
        yield f"http://127.0.0.1:{port}", bridges
    finally:
        server.should_exit = True
        await asyncio.wait_for(task, 30)


async def _agent(services: Services, login: str, pbx: str, role: Role = Role.AGENT) -> str:
    data = UserCreate(login=login, password=TEST_PASSWORD, role=role, extensions=["1002"], pbx=pbx)
    await services.users.create(SYSTEM, data)
    return (await services.users.login(login, TEST_PASSWORD)).access_token


async def _pops(websocket: ClientConnection, into: list[dict[str, Any]]) -> None:
    while True:
        message = await next_message(websocket, timeout=180)
        if message["type"] in ("ring", "answered", "withdraw", "ended"):
            into.append(message)


async def _in_world(instance: int, script: Any) -> None:
    async with open_world(SandboxSettings.from_env(), stub_agi=False, instance=instance) as world:
        await script(world)


def _same_call_on(collide: str) -> Any:
    async def script(world: World) -> None:
        """1001's phone is Originated into `agents` for 1002 with a chosen ChannelId: the
        call's linkedid on either PBX."""
        world.phones.plans.update({"1001": AnswerPlan(answer_after=1), "1002": talk(3)})
        await world.ami.action(
            "Originate", Channel="PJSIP/1001", Context="agents", Exten="1002", Priority="1",
            CallerID='"Dial 1002" <1002>', Timeout="20000", Async="true", ChannelId=collide,
        )  # fmt: skip
        await settle(world)

    return script


async def _calls(services: Services, **where: Any) -> list[CallOut]:
    return list((await services.calls.list(SYSTEM, CallFilter(**where))).items)


async def test_two_asterisks_feed_one_crm(
    crm_settings: CrmSettings, services: Services, asterisk: ConnectionInfo,
    asterisk2: ConnectionInfo,
) -> None:  # fmt: skip
    if not crm_settings.database_url.startswith("postgresql"):
        pytest.skip("several PBXs: the production shape, PostgreSQL")
    anna = await _agent(services, "anna", "default")
    boris = await _agent(services, "boris", "brno")
    await services.users.create(  # who gets the call-backs of the missed calls
        SYSTEM, UserCreate(login="boss", password=TEST_PASSWORD, role=Role.SUPERVISOR)
    )
    card = ContactCreate(first_name="Petr", last_name="Novák", phones=[PhoneIn(number=CUSTOMER)])
    contact = await services.contacts.create(SYSTEM, card)
    screens: dict[str, list[dict[str, Any]]] = {"anna": [], "boris": []}
    settings = _two_pbxs(asterisk, asterisk2)
    async with _serving(crm_settings, settings, services) as (url, bridges):
        assert [b.pbx for b in bridges] == ["default", "brno"]
        ws_url = url.replace("http://", "ws://") + "/ws/agent"
        async with agent_socket(ws_url, anna) as ws_anna, agent_socket(ws_url, boris) as ws_boris:
            readers = []
            for name, websocket in (("anna", ws_anna), ("boris", ws_boris)):
                hello = await next_message(websocket)
                assert hello["extensions"] == ["1002"]
                assert (await next_message(websocket))["type"] == "snapshot"
                readers.append(asyncio.create_task(_pops(websocket, screens[name])))
            # a customer calls each PBX's sales queue at once; 1002 answers on each
            await asyncio.gather(
                _in_world(1, queue_ringall_one_answers), _in_world(2, queue_ringall_one_answers)
            )
            for name in screens:
                await wait_until(
                    lambda n=name: any(m["type"] == "ended" for m in screens[n]), 30, f"{name} end"
                )
            for reader in readers:
                reader.cancel()
        for bridge in bridges:
            await bridge.pipeline.drain()
        calls = await _calls(services, contact_id=contact.id)
        assert sorted(c.pbx for c in calls) == ["brno", "default"]
        by_pbx = {c.pbx: c for c in calls}
        users = {u.login: u.id for u in await services.users.list(SYSTEM)}
        assert by_pbx["default"].agent_id == users["anna"]
        assert by_pbx["brno"].agent_id == users["boris"]
        for name, pbx in (("anna", "default"), ("boris", "brno")):
            kinds = [m["type"] for m in screens[name]]
            assert kinds == ["ring", "answered", "ended"], (name, kinds)
            # only their own PBX's call reached them
            assert {m["linkedid"] for m in screens[name]} == {by_pbx[pbx].linkedid}, name

        # a missed call on brno: one call-back task for it (the rules installed once)
        await _in_world(2, queue_abandoned)
        await wait_until(lambda: len(bridges[1].tracker) == 0, 30, "brno idle")
        await bridges[1].pipeline.drain()
        [missed] = [c for c in await _calls(services, pbx="brno") if c.disposition == "abandoned"]
        async with services.sessions() as session:
            tasks = await session.scalar(
                select(func.count()).select_from(Task).where(Task.call_id == missed.id)
            )
        assert tasks == 1

        # the same linkedid on both PBXs, for real
        collide = f"pbx14-{int(time.time())}"
        await asyncio.gather(
            _in_world(1, _same_call_on(collide)), _in_world(2, _same_call_on(collide))
        )
        for bridge in bridges:
            await wait_until(lambda b=bridge: len(b.tracker) == 0, 30, f"{bridge.pbx} idle")
            await bridge.pipeline.drain()
        same = [c for c in await _calls(services, limit=100) if c.linkedid == collide]
        assert sorted(c.pbx for c in same) == ["brno", "default"]
        assert all(c.direction == "internal" and c.answered_by == "1002" for c in same)
        assert len({c.id for c in same}) == 2

        # the calls list filters by PBX over HTTP
        boss = (await services.users.login("boss", TEST_PASSWORD)).access_token
        async with httpx.AsyncClient(base_url=url) as client:
            headers = {"Authorization": f"Bearer {boss}"}
            brno = await client.get("/api/calls", params={"pbx": "brno"}, headers=headers)
            assert brno.status_code == 200
            assert {c["pbx"] for c in brno.json()["items"]} == {"brno"}
            assert brno.json()["total"] == 3  # the answered, the missed, the Originated call
