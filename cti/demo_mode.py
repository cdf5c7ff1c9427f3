"""`make run`'s newcomer mode: demo data, the sandbox Asterisk if possible, gentle traffic."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import click
from fastapi import FastAPI

from crm_core.demo.loader import load_demo_data
from crm_core.runtime import open_services
from crm_core.settings import CrmSettings
from cti.demo_traffic import client_numbers, gentle_traffic
from cti.sandbox.errors import SandboxError
from cti.sandbox.layout import CONFIG_DIR
from cti.sandbox.manager import Sandbox
from cti.sandbox.settings import SandboxSettings
from cti.settings import BridgeSettings

log = logging.getLogger(__name__)
Hook = Callable[[FastAPI], AbstractAsyncContextManager[None]]


@dataclass(frozen=True)
class DemoSetup:
    hooks: list[Hook]
    bridge_settings: BridgeSettings


def prepare_demo(settings: CrmSettings, bridge_settings: BridgeSettings) -> DemoSetup:
    """Demo data, and the sandbox when it can run here (then its CEL log settles gaps)."""
    numbers = asyncio.run(_load_demo(settings))
    sandbox = _start_sandbox() if bridge_settings.sandbox else None
    if sandbox is None:
        click.echo(
            f"using the Asterisk at {bridge_settings.ami_host}:{bridge_settings.ami_port} "
            "(CTI_AMI_HOST/CTI_AMI_PORT); no simulated traffic"
        )
        return DemoSetup([], bridge_settings)
    # the bridge talks to the sandbox: its CEL log and its own queues.conf (the PBX's copy)
    update = {
        "cel_path": bridge_settings.cel_path or str(sandbox.layout.cel_log),
        "queues_conf": bridge_settings.queues_conf or str(sandbox_queues_conf(sandbox)),
    }
    return DemoSetup([_gentle_traffic(numbers)], bridge_settings.model_copy(update=update))


def sandbox_queues_conf(sandbox: Sandbox) -> Path:
    """The queues.conf the sandbox's Asterisk runs (copied into its chroot from dialplans/)."""
    return sandbox.layout.inside(CONFIG_DIR / "queues.conf")


async def _load_demo(settings: CrmSettings) -> list[str]:
    click.echo("loading demo data (first run: about 30 s)...")
    async with open_services(settings) as services:
        await load_demo_data(services)
        numbers = await client_numbers(services)
    click.echo("demo users: agent1..agent3 (extensions 1001..1003), super; password: demo")
    return numbers


def _start_sandbox() -> Sandbox | None:
    sandbox = Sandbox(SandboxSettings.from_env())
    try:
        info = sandbox.up(show_progress=True)
    except SandboxError as exc:
        click.echo(f"the sandbox Asterisk cannot start here: {exc}")
        return None
    click.echo(f"sandbox Asterisk running; AMI {info.host}:{info.port}")
    return sandbox


def _gentle_traffic(numbers: list[str]) -> Hook:
    @asynccontextmanager
    async def run(_app: FastAPI) -> AsyncIterator[None]:
        task = asyncio.create_task(gentle_traffic(SandboxSettings.from_env(), numbers))
        try:
            yield
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task

    return run
