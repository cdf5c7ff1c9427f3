"""`cti simulate`: calls without people, driven into the running sandbox."""

from __future__ import annotations

import asyncio

import click

from cti.sandbox.settings import SandboxSettings
from cti.sandbox.sim.scenarios import SCENARIOS
from cti.sandbox.sim.traffic import Traffic, TrafficMix, TrafficStats
from cti.sandbox.sim.world import open_world


async def _run_scenario(name: str) -> None:
    async with open_world(SandboxSettings.from_env(), stub_agi=None) as world:
        await asyncio.sleep(1)  # queue members become available after registering
        await SCENARIOS[name].script(world)
        await world.wait_idle()


async def _run_traffic(calls: int, rate: float, seed: int | None) -> TrafficStats:
    async with open_world(SandboxSettings.from_env(), stub_agi=None) as world:
        await asyncio.sleep(1)
        return await Traffic(world, TrafficMix(), seed).run(calls, rate)


@click.command()
@click.option(
    "--scenario",
    type=click.Choice(sorted(SCENARIOS)),
    help="Play one scripted scenario (see tests/scenarios/README.md).",
)
@click.option("--calls", default=10, show_default=True, help="Random calls to place; 0: forever.")
@click.option("--rate", default=0.5, show_default=True, help="New calls per second.")
@click.option("--seed", type=int, help="Seed for repeatable random traffic.")
def simulate(scenario: str | None, calls: int, rate: float, seed: int | None) -> None:
    """Place calls into the running sandbox (`cti sandbox up` first).

    Agents 1001-1010 are registered as PJSIP phones by a built-in SIP user agent and the carrier
    is simulated on the trunk, so AMI shows the same channels as with real phones.
    """
    if rate <= 0:
        raise click.BadParameter("must be positive", param_hint="--rate")
    try:
        if scenario is not None:
            asyncio.run(_run_scenario(scenario))
            click.echo(f"scenario {scenario} done")
            return
        stats = asyncio.run(_run_traffic(calls, rate, seed))
    except OSError as exc:
        raise click.ClickException(f"{exc}: is the sandbox up? (`cti sandbox up`)") from exc
    click.echo(f"{stats.started} calls, {stats.answered} answered, {stats.failed} failed")
