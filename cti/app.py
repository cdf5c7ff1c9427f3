"""The FastAPI app factory: crm_core's REST API, extra routers, and the softphone's static files.

Extra routers (e.g. the websocket endpoints of cti.web) go through `extra_routers`: they are
included before the static mount at "/", which would otherwise shadow them.

The pages: `CTI_WEB_DIR` when set; else the page the wheel ships (`cti/web_dist`); else a
checkout's `web_softphone/dist` (`make softphone`). See `softphone_dir`.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import AbstractAsyncContextManager, AsyncExitStack, asynccontextmanager
from pathlib import Path

from fastapi import APIRouter, FastAPI
from fastapi.staticfiles import StaticFiles

from crm_core.api import api_router, install_error_handlers
from crm_core.api.protections import install_protections
from crm_core.services import Services, build_services
from crm_core.settings import CrmSettings
from cti.version import package_version

log = logging.getLogger(__name__)
PACKAGED_PAGE = Path(__file__).resolve().parent / "web_dist"  # in the wheel only
CHECKOUT_PAGE = Path(__file__).resolve().parent.parent / "web_softphone" / "dist"


def softphone_dir(configured: str = "") -> Path:
    """Where the agent page is served from: `configured` (CTI_WEB_DIR), the wheel's copy, or the
    checkout's build."""
    if configured:
        return Path(configured)
    return PACKAGED_PAGE if (PACKAGED_PAGE / "index.html").is_file() else CHECKOUT_PAGE


SOFTPHONE_DIST = softphone_dir()


def create_app(
    settings: CrmSettings,
    *,
    services: Services | None = None,
    extra_routers: Sequence[APIRouter] = (),
    static_dir: Path | None = SOFTPHONE_DIST,
    lifespan_hooks: Sequence[Callable[[FastAPI], AbstractAsyncContextManager[None]]] = (),
    include_api: bool = True,
) -> FastAPI:
    """Build the app. Pass `services` to share them (tests); otherwise they are built from
    `settings` and disposed at shutdown. `include_api=False`: no CRM API (the ingest role)."""
    owned = services is None
    app_services = build_services(settings) if services is None else services

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with AsyncExitStack() as stack:
            for hook in lifespan_hooks:
                await stack.enter_async_context(hook(app))
            yield
        if owned:
            await app_services.dispose()

    app = FastAPI(title="CTI Bridge", version=package_version(), lifespan=lifespan)
    app.state.services = app_services
    app.state.settings = settings
    install_error_handlers(app)
    install_protections(app, settings.max_body_bytes)
    if include_api:
        app.include_router(api_router())
    for router in extra_routers:
        app.include_router(router)
    if static_dir is not None and static_dir.is_dir():
        app.mount("/", StaticFiles(directory=static_dir, html=True), name="softphone")
    elif static_dir is not None:
        log.warning("no agent page at %s (CTI_WEB_DIR): / answers 404", static_dir)
    return app
