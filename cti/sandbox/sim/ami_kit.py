"""What the flows made by other tools (CRM plug-ins, operator panels) do over AMI: originate,
find a live channel, redirect, park; and bounded waits, so a recording can never hang."""

from __future__ import annotations

import asyncio

from cti.sandbox.sim.world import World

SETTLE_TIMEOUT = 60.0


async def originate(world: World, channel: str, exten: str, context: str = "agents") -> None:
    """AMI Originate as a CRM plug-in sends it: the first leg rings `channel`; once answered it
    runs `exten@context`. No channel variables, nothing of the project's click-to-call."""
    await world.ami.action(
        "Originate",
        Channel=channel,
        Context=context,
        Exten=exten,
        Priority="1",
        CallerID=f'"Call {exten}" <{exten}>',
        Timeout="20000",
        Async="true",
    )


async def channel_with_prefix(world: World, prefix: str, timeout: float = 10) -> str:
    """The name of the first live channel whose name starts with `prefix`."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while loop.time() < deadline:
        for channel in await world.ami.listing("CoreShowChannels"):
            if channel.get("Channel", "").startswith(prefix):
                return str(channel["Channel"])
        await asyncio.sleep(0.2)
    raise TimeoutError(f"no channel {prefix}...")


async def wait_for(event: asyncio.Event, timeout: float) -> None:
    """Wait for a dialog's event, at most `timeout` seconds (TimeoutError past it)."""
    await asyncio.wait_for(event.wait(), timeout)


async def settle(world: World, first_channel_within: float = 2.0) -> None:
    """Give the PBX time to create the calls' channels, then wait (bounded) until all are gone."""
    await asyncio.sleep(first_channel_within)
    await world.wait_idle(SETTLE_TIMEOUT)
