"""Fixtures of the routing tests: the bridge serving the FastAGI hook to the sandbox Asterisk."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest_asyncio

from crm_core.services import Services
from crm_core.services.dto import Actor
from crm_core.services.routing_dto import OwnerFirst
from crm_core.settings import CrmSettings
from cti.routing.settings import TelephonySettings
from cti.sandbox.manager import ConnectionInfo
from tests.fixtures.bridge import RunningBridge, bridge_settings, serve_bridge

SYSTEM = Actor.system()


@pytest_asyncio.fixture
async def routing_bridge(
    crm_settings: CrmSettings, services: Services, asterisk: ConnectionInfo
) -> AsyncIterator[RunningBridge]:
    telephony = TelephonySettings(agi_enabled=True)
    settings = bridge_settings(asterisk, agi_port=asterisk.agi_port)
    await services.routing.ensure_defaults()
    owner_first = (await services.routing.list(SYSTEM))[0]
    await services.routing.replace(SYSTEM, owner_first.id, OwnerFirst(ring_seconds=10))
    async with serve_bridge(crm_settings, settings, services, telephony) as running:
        await asyncio.wait_for(running.bridge.telephony.feed.refreshed.wait(), 15)
        yield running
