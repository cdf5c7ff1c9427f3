"""The composition root of `cti serve`: every part built from settings, per role.

- `all` (default, `make run`): the CRM app, the pages, the websockets and the ingest in one
  process; the bridge's own memory answers a (re)connecting browser.
- `web`: the CRM app, the pages and the websockets; state from what the ingest retained on the
  Redis bus, telephony actions as requests to the ingest (cti.actions). Any number of replicas.
- `ingest`: AMI, tracker, call log, routing hook, call-back schedulers, the webhook sender and
  the transcription worker;
  answers the web replicas' telephony requests. Serves only health, status and metrics.

Several PBXs (CTI_PBXS, cti/pbxs.py): one Bridge per PBX served (`--pbx NAME` picks one; without
it every configured PBX is served by this process). This root alone changes the shared services:
the rules every role adds (install_service_hooks, once) and where the routing service reads the
PBXs' queue names (the union of every bridge's). The first bridge also runs what is one per
process (webhook sender, scheduled call-backs' notices); each bridge dials its PBX's queue
call-backs.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager

from fastapi import APIRouter, FastAPI
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine

from crm_core.api.deps import OptionalActorDep
from crm_core.api.responses import errors
from crm_core.db import create_engine
from crm_core.services import Services, build_services
from crm_core.services.fencing import Fence
from crm_core.settings import CrmSettings
from cti.actions.port import LocalTelephony, Telephony
from cti.actions.remote import RemoteTelephony
from cti.actions.server import ActionServer
from cti.agents.spy import Spy
from cti.app import create_app, softphone_dir
from cti.bridge import Bridge, lifespan_hook
from cti.bus.base import Bus
from cti.bus.factory import create_bus
from cti.ingest.lease import PgLease
from cti.metrics.bus import CountingBus
from cti.metrics.exposition import BridgeMetrics, metrics_router
from cti.pbxs import DEFAULT_PBX, PbxConfig
from cti.routing.settings import TelephonySettings
from cti.service_hooks import install_service_hooks
from cti.settings import BridgeSettings, Role
from cti.transcripts.runtime import TranscriptCollector, build_worker, worker_lifespan
from cti.transcripts.settings import SummarySettings, TranscriptSettings
from cti.web.agent_ws import agent_router
from cti.web.health import (
    Check,
    ami_check,
    bus_check,
    database_check,
    health_router,
    lease_check,
)  # fmt: skip
from cti.web.live_state import LiveState, LocalLiveState, RetainedLiveState
from cti.web.queue_names import RetainedQueueNames
from cti.web.sip_credentials import sip_credentials_router
from cti.web.supervision import supervision_router
from cti.web.supervisor_ws import supervisor_router
from cti.web.telephony import telephony_router
from cti.webhooks.settings import WebhookSettings

log = logging.getLogger(__name__)
IDLE_IN_TRANSACTION_MS = 2_000
PUBLIC_STATUS = ("state", "active_calls")
PRIVATE_LEASE = ("error", "holder", "name")  # a database error names hosts; the holder a pid
OPTIONAL_BEARER: dict[str, object] = {"security": [{}, {"HTTPBearer": []}]}
"""OpenAPI's way to say a route answers anonymous callers too (a wrong token is still 401)."""

LifespanHook = Callable[[FastAPI], AbstractAsyncContextManager[None]]
StatusOf = Callable[[], dict[str, object]]


class RoleError(ValueError):
    """A role asked of settings that cannot carry it (a web replica without a shared bus)."""


def status_router(status_of: StatusOf) -> APIRouter:
    router = APIRouter()

    @router.get(
        "/api/bridge/status", tags=["bridge"], responses=errors(401), openapi_extra=OPTIONAL_BEARER
    )
    async def bridge_status(actor: OptionalActorDep) -> dict[str, object]:
        """Signed in: which Asterisk the bridge listens to, whether it is connected, and the
        pipeline counters (a web replica: its role and its bus reader). Anonymous (health
        checks): the AMI state, open calls and an ingest's lease (active or standby) only."""
        status = status_of()
        if actor is None:
            public = {key: status[key] for key in PUBLIC_STATUS if key in status}
            lease = status.get("lease")
            if isinstance(lease, dict):
                public["lease"] = {k: v for k, v in lease.items() if k not in PRIVATE_LEASE}
            return public
        return status

    return router


def build_app(
    crm_settings: CrmSettings,
    settings: BridgeSettings,
    services: Services | None = None,
    extra_lifespan_hooks: Sequence[LifespanHook] = (),
    telephony: TelephonySettings | None = None,
    role: Role | None = None,
) -> FastAPI:
    role = role or settings.role
    lease = None
    if services is None and role == "ingest" and settings.ingest and is_postgres(crm_settings):
        lease = PgLease(crm_settings.database_url, Fence(lease_name_of(settings)),
                        settings.lease_timeout)  # fmt: skip
        services = build_services(crm_settings, fenced_engine(crm_settings), lease.fence)
    services = services or build_services(crm_settings)
    if role == "web":
        return _web_app(crm_settings, settings, services, extra_lifespan_hooks, telephony)
    return _bridge_app(
        crm_settings, settings, services, extra_lifespan_hooks, telephony, role, lease
    )


def lease_name_of(settings: BridgeSettings) -> str:
    """The lease an ingest pair of one PBX shares: CTI_LEASE_NAME for the PBX "default",
    "<CTI_LEASE_NAME>:<pbx>" for another; an ingest on PostgreSQL serves one PBX (`--pbx`)."""
    pbxs = served_pbxs(settings)
    if len(pbxs) > 1:
        names = ", ".join(pbx.name for pbx in pbxs)
        raise RoleError(
            f"an ingest on PostgreSQL holds one PBX's lease: start one per PBX with --pbx NAME "
            f"(CTI_PBXS: {names})"
        )
    name = pbxs[0].name
    return settings.lease_name if name == DEFAULT_PBX else f"{settings.lease_name}:{name}"


def is_postgres(crm: CrmSettings) -> bool:
    return make_url(crm.database_url).get_backend_name() == "postgresql"


def fenced_engine(crm: CrmSettings) -> AsyncEngine:
    """The leased ingest's pool: a transaction left open by a paused process is ended by the
    server, so a new holder's epoch raise (which waits for it) is not held up for long."""
    settings = {"idle_in_transaction_session_timeout": str(IDLE_IN_TRANSACTION_MS)}
    return create_engine(crm.database_url, connect_args={"server_settings": settings})


def _bus(settings: BridgeSettings) -> CountingBus:
    return CountingBus(create_bus(settings.bus_url, settings.bus_maxlen, settings.bus_reader))


def _shared_bus_required(settings: BridgeSettings, role: Role) -> None:
    if settings.bus_url.startswith("memory://"):
        raise RoleError(
            f"--role {role} needs a bus shared with the other processes: set CTI_BUS_URL="
            "redis://host:6379/0 (memory:// is for --role all, one process)"
        )


def served_pbxs(settings: BridgeSettings) -> list[PbxConfig]:
    """The PBXs this process ingests; RoleError for an unknown `--pbx` or two PBXs of one
    process on the same routing hook port."""
    try:
        pbxs = settings.served_pbxs()
    except ValueError as exc:
        raise RoleError(str(exc)) from exc
    ports = [settings.for_pbx(pbx).agi_port for pbx in pbxs]
    twice = sorted({port for port in ports if ports.count(port) > 1})
    if twice:
        raise RoleError(
            f"the PBXs served by one process need a routing hook port each (agi_port in "
            f"CTI_PBXS); port {twice[0]} is given to several"
        )
    return pbxs


def build_bridges(
    settings: BridgeSettings, services: Services, bus: Bus,
    telephony: TelephonySettings | None = None, lease: PgLease | None = None,
) -> list[Bridge]:  # fmt: skip
    """One Bridge per PBX this process serves, the shared services told once about them all
    (a leased ingest serves one PBX: `lease_name_of`)."""
    pbxs = served_pbxs(settings)
    install_service_hooks(services, settings, WebhookSettings())
    bridges = [
        Bridge(settings.for_pbx(pbx), services, bus, telephony, lease=lease, primary=index == 0)
        for index, pbx in enumerate(pbxs)
    ]
    services.routing.use_queues(_union([b.telephony.known_queues for b in bridges]))
    return bridges


def _union(sources: Sequence[Callable[[], set[str]]]) -> Callable[[], set[str]]:
    def names() -> set[str]:
        return set().union(*(source() for source in sources))

    return names


def _bridge_app(
    crm_settings: CrmSettings, settings: BridgeSettings, services: Services,
    extra_lifespan_hooks: Sequence[LifespanHook], telephony: TelephonySettings | None, role: Role,
    lease: PgLease | None = None,
) -> FastAPI:  # fmt: skip
    """`all` and `ingest`: the Bridges (one per PBX served) in this process (an ingest on
    PostgreSQL: one PBX, under a lease, active or a hot standby: cti.ingest.standby)."""
    if role == "ingest":
        _shared_bus_required(settings, role)
    bus = _bus(settings)
    bridges = build_bridges(settings, services, bus, telephony, lease)
    bridge = bridges[0]  # the web side's telephony actions and supervisor snapshot
    metrics = BridgeMetrics(bridge, bus.clients)
    local = LocalTelephony(
        bridge.telephony, bridge.agent_page.states,
        Spy(bridge.ami, bridge.telephony.settings, services.audit),
    )  # fmt: skip
    hooks: list[LifespanHook] = [lifespan_hook(each) for each in bridges] if settings.ingest else []
    if not settings.bus_url.startswith("memory://") and settings.ingest:
        server = ActionServer(local, settings.bus_url, bridge.leadership.holds)
        hooks.append(_serving_actions(server))
    worker = None
    if settings.ingest:  # the transcription worker: its own task beside the ingest
        worker = build_worker(
            services, bus, bridge.metrics, TranscriptSettings(), SummarySettings()
        )
    if worker is not None:
        hooks.append(worker_lifespan(worker))
    metrics.registry.register(TranscriptCollector(worker, bridge.metrics))
    hooks.extend(extra_lifespan_hooks)
    hooks.append(_closing(bus))
    ami = ami_check(lambda: _worst_state(bridges))
    routers = [status_router(_status_of(bridges)), metrics_router(metrics)]
    if role == "ingest":
        routers.append(health_router("ingest", [ami, lease_check(lease)], bridge.leadership))
    else:
        checks = [database_check(services), bus_check(bus), *([ami] if settings.ingest else [])]
        routers.extend(_web_routers(
            "all", settings, bus,
            LocalLiveState([b.registry for b in bridges], bridge.stats.current, bus), local, checks,
        ))  # fmt: skip
    app = create_app(
        crm_settings, services=services, extra_routers=routers, lifespan_hooks=hooks,
        static_dir=softphone_dir(settings.web_dir) if role == "all" else None,
        include_api=role == "all",
    )  # fmt: skip
    app.state.bridge = bridge
    app.state.bridges = bridges
    app.state.transcript_worker = worker
    log.info(describe_role(role, settings, crm_settings))
    return app


def _web_app(
    crm_settings: CrmSettings, settings: BridgeSettings, services: Services,
    extra_lifespan_hooks: Sequence[LifespanHook], telephony: TelephonySettings | None,
) -> FastAPI:  # fmt: skip
    """`web`: no AMI, no tracker; everything live comes over the Redis bus."""
    _shared_bus_required(settings, "web")
    install_service_hooks(services, settings, WebhookSettings())
    bus = _bus(settings)
    telephony = telephony or TelephonySettings()
    remote = RemoteTelephony(settings.bus_url, bus, telephony, settings.action_timeout)
    queue_names = RetainedQueueNames(bus, telephony.route_default_queue)
    services.routing.use_queues(queue_names)
    checks = [database_check(services), bus_check(bus)]
    routers = _web_routers("web", settings, bus, RetainedLiveState(bus), remote, checks)

    def status() -> dict[str, object]:
        return {"role": "web", "bus": bus.status(), "websocket_clients": dict(bus.clients)}

    routers.append(status_router(status))

    @asynccontextmanager
    async def reading(_app: FastAPI) -> AsyncIterator[None]:
        bus.start()  # read the stream from now (or from this reader's last id) at once
        queue_names.start()
        try:
            yield
        finally:
            await queue_names.stop()
            await remote.close()
            await bus.close()

    app = create_app(
        crm_settings, services=services, extra_routers=routers,
        lifespan_hooks=[reading, *extra_lifespan_hooks],
        static_dir=softphone_dir(settings.web_dir),
    )  # fmt: skip
    app.state.bus = bus
    log.info(describe_role("web", settings, crm_settings))
    return app


def _worst_state(bridges: Sequence[Bridge]) -> str:
    """Connected when every PBX's AMI is; else the first PBX's state that is not."""
    states = [str(bridge.ami.state) for bridge in bridges]
    return next((state for state in states if state != "connected"), states[0])


def _status_of(bridges: Sequence[Bridge]) -> StatusOf:
    """One PBX: its bridge's status as before; several: the first's, and each PBX's under
    `pbxs`."""

    def status() -> dict[str, object]:
        first = dict(bridges[0].status())
        if len(bridges) > 1:
            first["active_calls"] = sum(len(bridge.tracker) for bridge in bridges)
            first["pbxs"] = {bridge.pbx: bridge.status() for bridge in bridges}
        return first

    return status


def _web_routers(
    role: str, settings: BridgeSettings, bus: Bus, live: LiveState, telephony: Telephony,
    checks: list[Check],
) -> list[APIRouter]:  # fmt: skip
    return [
        agent_router(bus, live),
        supervisor_router(bus, live.supervisor),
        telephony_router(telephony),
        supervision_router(telephony),
        sip_credentials_router(settings),
        health_router(role, checks),
    ]


def _serving_actions(server: ActionServer) -> LifespanHook:
    @asynccontextmanager
    async def run(_app: FastAPI) -> AsyncIterator[None]:
        server.start()
        try:
            yield
        finally:
            await server.stop()

    return run


def _closing(bus: Bus) -> LifespanHook:
    @asynccontextmanager
    async def run(_app: FastAPI) -> AsyncIterator[None]:
        try:
            yield
        finally:
            await bus.close()

    return run


RUNS = {
    "all": "API, pages, websockets and the ingest (AMI, tracker, call log, routing hook, "
    "call-back schedulers, webhook sender, transcription worker) in one process",
    "web": "API, pages and websockets (no AMI: live state and telephony through the bus)",
    "ingest": "AMI, tracker, call log, routing hook, call-back schedulers, webhook sender, "
    "transcription worker and the web replicas' telephony requests (HTTP: health, status and "
    "metrics only)",
}


def describe_role(role: Role, settings: BridgeSettings, crm: CrmSettings) -> str:
    """What this process runs and what it connects to (said at start)."""
    database = crm.database_url.split("@")[-1] if "@" in crm.database_url else crm.database_url
    parts = [f"database {database}", f"bus {_without_password(settings.bus_url)}"]
    if role != "web" and settings.ingest:
        for pbx in settings.served_pbxs():
            each = settings.for_pbx(pbx)
            named = "" if not settings.pbxs else f"PBX {pbx.name}: "
            parts.append(f"{named}AMI {each.ami_host}:{each.ami_port}")
            parts.append(f"FastAGI {each.agi_host}:{each.agi_port}")
    if role == "web" and settings.bus_reader:
        parts.append(f"bus reader {settings.bus_reader}")
    return f"role {role}: {RUNS[role]}; connects to {', '.join(parts)}"


def _without_password(url: str) -> str:
    scheme, sep, rest = url.partition("://")
    return f"{scheme}{sep}{rest.split('@')[-1]}" if "@" in rest else url
