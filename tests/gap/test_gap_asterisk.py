"""The AMI link cut while calls go on (a proxy between the bridge and the sandbox): a call that
was ringing when the link went and one that began and ended while it was down are both on
record with the facts the phones made, read back from the PBX's CEL log."""

from __future__ import annotations

import asyncio

import pytest

from crm_core.services import Services
from crm_core.services.dto import Actor, CallFilter, CallOut
from crm_core.settings import CrmSettings
from cti.ami.client import ConnectionState
from cti.sandbox.manager import ConnectionInfo
from cti.sandbox.settings import SandboxSettings
from cti.sandbox.sim.scenarios import CUSTOMER, CUSTOMER_NAME, talk
from cti.sandbox.sim.world import World, open_world
from cti.sandbox.sip.calls import NO_ANSWER
from tests.fixtures.bridge import bridge_settings, serve_bridge, wait_until
from tests.fixtures.tcpproxy import TcpProxy

pytestmark = pytest.mark.asterisk
SYSTEM = Actor.system()


async def _calls(services: Services) -> dict[str, CallOut]:
    page = await services.calls.list(SYSTEM, CallFilter(limit=50))
    return {call.callee: call for call in page.items}


async def _customer_calls(world: World, did: str) -> None:
    dialog = await world.carrier.call(did, CUSTOMER, CUSTOMER_NAME)
    await dialog.ended.wait()


async def test_calls_during_an_ami_cut_are_recorded_right(
    crm_settings: CrmSettings, services: Services, asterisk: ConnectionInfo
) -> None:
    proxy = TcpProxy(asterisk.host, asterisk.port)
    await proxy.start()
    settings = bridge_settings(asterisk, ami_port=proxy.port)
    async with (
        serve_bridge(crm_settings, settings, services) as running,
        open_world(SandboxSettings.from_env(), stub_agi=False) as world,
    ):
        bridge = running.bridge
        await asyncio.sleep(1)  # queue members become available
        world.phones.plans.update({"1001": NO_ANSWER, "1002": talk(3, 4), "1003": NO_ANSWER})
        ringing = asyncio.create_task(_customer_calls(world, "100"))
        await wait_until(lambda: bool(bridge.tracker.agent_calls("1002").ringing), 15, "ring")
        proxy.cut()  # the sales call rings on; answered and ended while nobody listens
        world.phones.plans["1005"] = talk(2, 1)
        await _customer_calls(world, "1005")  # begins and ends inside the cut
        await ringing
        await world.wait_idle(timeout=30)
        proxy.restore()
        await wait_until(lambda: bridge.ami.state is ConnectionState.CONNECTED, 20, "AMI back")
        await asyncio.sleep(1)
        await bridge.pipeline.drain()
        calls = await _calls(services)
    await proxy.stop()
    sales, direct = calls["100"], calls["1005"]
    assert (sales.direction, sales.caller, sales.queue) == ("inbound", CUSTOMER, "sales")
    assert (sales.answered_by, sales.disposition) == ("1002", "answered")
    assert sales.agents_rang == ["1001", "1002", "1003"]
    assert sales.ended_at is not None
    assert sales.reconstructed
    assert (direct.direction, direct.caller, direct.answered_by) == ("inbound", CUSTOMER, "1005")
    assert (direct.disposition, direct.agents_rang) == ("answered", ["1005"])
    assert direct.reconstructed
    assert bridge.metrics.as_dict().get("gap.cel_rows", 0) > 0
