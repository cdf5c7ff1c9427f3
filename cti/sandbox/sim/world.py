"""Everything a simulated call needs: agents' phones, the carrier, AMI, a stub routing server."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass

from cti.sandbox.agi_stub import StubAgiServer
from cti.sandbox.ami import AmiClient
from cti.sandbox.layout import Ports
from cti.sandbox.settings import SandboxSettings, for_instance
from cti.sandbox.sip.agent import UserAgent
from cti.sandbox.sip.calls import drop_all
from cti.sandbox.sip.carrier import Carrier
from cti.sandbox.sip.phones import Phones

AGENTS = tuple(str(extension) for extension in range(1001, 1011))
PBX = ("127.0.0.1", 5060)
PHONES_PORT = 5070
CARRIER_PORT = 5080  # pjsip.conf's trunk contact


@dataclass
class World:
    phones: Phones
    carrier: Carrier
    ami: AmiClient
    agi: StubAgiServer | None

    async def agent_channel(self, extension: str, timeout: float = 10) -> str:
        """The name of the agent's live channel (PJSIP/1001-00000003), waiting for it to appear."""
        prefix = f"PJSIP/{extension}-"
        deadline = asyncio.get_running_loop().time() + timeout
        while asyncio.get_running_loop().time() < deadline:
            for channel in await self.ami.listing("CoreShowChannels"):
                if channel.get("Channel", "").startswith(prefix):
                    return channel["Channel"]
            await asyncio.sleep(0.2)
        raise TimeoutError(f"no channel for agent {extension}")

    async def active_channels(self) -> int:
        return len(await self.ami.listing("CoreShowChannels"))

    async def wait_idle(self, timeout: float = 90) -> None:
        """Until Asterisk has no channel left."""
        deadline = asyncio.get_running_loop().time() + timeout
        while await self.active_channels():
            if asyncio.get_running_loop().time() > deadline:
                raise TimeoutError("calls still up")
            await asyncio.sleep(0.3)

    async def blind_transfer(self, extension: str, target: str, context: str = "agents") -> None:
        channel = await self.agent_channel(extension)
        await self.ami.action("BlindTransfer", Channel=channel, Exten=target, Context=context)

    async def attended_transfer(self, extension: str, target: str, context: str = "agents") -> None:
        channel = await self.agent_channel(extension)
        await self.ami.action("Atxfer", Channel=channel, Exten=target, Context=context)

    async def agent_hangs_up(self, extension: str) -> None:
        for dialog in self.phones.calls_of(extension):
            await self.phones.hang_up(dialog)


def port_in_use(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


@contextlib.asynccontextmanager
async def open_world(
    settings: SandboxSettings,
    stub_agi: bool | None = True,
    agents: Iterable[str] = AGENTS,
    media: bool = True,
    instance: int = 1,
) -> AsyncIterator[World]:
    """Start the user agents, register the agents' phones, log in to AMI (user `simulator`).

    stub_agi: answer the dialplan's routing hook with a stub FastAGI server; None: only when
    nothing (such as the bridge) already listens on the AGI port.
    agents: the extensions the simulated phones register (leave out those a browser registers).
    media: the carrier sends and counts real RTP (`dialog.media`); False for load benches.
    instance: the sandbox instance called (2: the second PBX, cti/sandbox/layout.py), its own
    SIP, AMI and hook ports; the phones and carrier on ports of their own.
    """
    settings = for_instance(settings, instance)
    ports, step = Ports.of(instance), 2 * (instance - 1)
    pbx = (PBX[0], ports.sip)
    if stub_agi is None:
        stub_agi = not port_in_use(settings.agi_port)
    phones_ua = UserAgent("127.0.0.1", PHONES_PORT + step, pbx)
    carrier_ua = UserAgent("127.0.0.1", ports.carrier, pbx)
    carrier_ua.send_media = media
    await phones_ua.start()
    await carrier_ua.start()
    phones, carrier = Phones(phones_ua, agents), Carrier(carrier_ua)
    agi = StubAgiServer(port=settings.agi_port) if stub_agi else None
    ami = await AmiClient.connect(settings.account("simulator"), events="off")
    try:
        if agi is not None:
            await agi.start()
        await phones.register_all()
        yield World(phones, carrier, ami, agi)
    finally:
        drop_all(phones_ua)
        drop_all(carrier_ua)
        with contextlib.suppress(Exception):
            await phones.unregister_all()
        if agi is not None:
            await agi.stop()
        await ami.close()
        phones_ua.close()
        carrier_ua.close()
