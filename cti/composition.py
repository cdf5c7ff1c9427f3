"""The composition root of `cti serve`: the CRM app plus the bridge's websockets and ingest."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import AbstractAsyncContextManager

from fastapi import APIRouter, FastAPI

from crm_core.api.deps import OptionalActorDep
from crm_core.api.responses import errors
from crm_core.services import Services, build_services
from crm_core.settings import CrmSettings
from cti.agents.spy import Spy
from cti.app import create_app, softphone_dir
from cti.bridge import Bridge, lifespan_hook
from cti.bus.factory import create_bus
from cti.metrics.bus import CountingBus
from cti.metrics.exposition import BridgeMetrics, metrics_router
from cti.routing.settings import TelephonySettings
from cti.settings import BridgeSettings
from cti.web.agent_ws import agent_router
from cti.web.sip_credentials import sip_credentials_router
from cti.web.supervision import supervision_router
from cti.web.supervisor_ws import supervisor_router
from cti.web.telephony import telephony_router

PUBLIC_STATUS = ("state", "active_calls")
OPTIONAL_BEARER: dict[str, object] = {"security": [{}, {"HTTPBearer": []}]}
"""OpenAPI's way to say a route answers anonymous callers too (a wrong token is still 401)."""


def status_router(bridge: Bridge) -> APIRouter:
    router = APIRouter()

    @router.get(
        "/api/bridge/status", tags=["bridge"], responses=errors(401), openapi_extra=OPTIONAL_BEARER
    )
    async def bridge_status(actor: OptionalActorDep) -> dict[str, object]:
        """Signed in: which Asterisk the bridge listens to, whether it is connected, and the
        pipeline counters. Anonymous (health checks): the AMI state and open calls only."""
        status = bridge.status()
        if actor is None:
            return {key: status[key] for key in PUBLIC_STATUS if key in status}
        return status

    return router


LifespanHook = Callable[[FastAPI], AbstractAsyncContextManager[None]]


def build_app(
    crm_settings: CrmSettings,
    settings: BridgeSettings,
    services: Services | None = None,
    extra_lifespan_hooks: Sequence[LifespanHook] = (),
    telephony: TelephonySettings | None = None,
) -> FastAPI:
    services = services or build_services(crm_settings)
    bus = CountingBus(create_bus(settings.bus_url))
    bridge = Bridge(settings, services, bus, telephony)
    metrics = BridgeMetrics(bridge, bus.clients)
    spy = Spy(bridge.ami, bridge.telephony.settings, services.audit)
    hooks = [lifespan_hook(bridge)] if settings.ingest else []
    hooks.extend(extra_lifespan_hooks)
    app = create_app(
        crm_settings,
        services=services,
        extra_routers=[
            agent_router(bus, bridge.registry),
            supervisor_router(bus, bridge.stats.current),
            status_router(bridge),
            telephony_router(bridge.telephony, bridge.agent_page.states),
            supervision_router(bridge.telephony, spy),
            sip_credentials_router(settings),
            metrics_router(metrics),
        ],
        lifespan_hooks=hooks,
        static_dir=softphone_dir(settings.web_dir),
    )
    app.state.bridge = bridge
    return app
