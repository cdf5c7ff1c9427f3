"""The FastAPI app factory: crm_core's REST API, extra routers, and the softphone's static files.

Extra routers (e.g. the websocket endpoints of cti.web) go through `extra_routers`: they are
included before the static mount at "/", which would otherwise shadow them.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import AbstractAsyncContextManager, AsyncExitStack, asynccontextmanager
from pathlib import Path

from fastapi import APIRouter, FastAPI
from fastapi.staticfiles import StaticFiles

from crm_core.api import api_router, install_error_handlers
from crm_core.services import Services, build_services
from crm_core.settings import CrmSettings

SOFTPHONE_DIST = Path(__file__).resolve().parent.parent / "web_softphone" / "dist"


def create_app(
    settings: CrmSettings,
    *,
    services: Services | None = None,
    extra_routers: Sequence[APIRouter] = (),
    static_dir: Path | None = SOFTPHONE_DIST,
    lifespan_hooks: Sequence[Callable[[FastAPI], AbstractAsyncContextManager[None]]] = (),
) -> FastAPI:
    """Build the app. Pass `services` to share them (tests); otherwise they are built from
    `settings` and disposed at shutdown."""
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

    app = FastAPI(title="CTI Bridge", version="0.1.0", lifespan=lifespan)
    app.state.services = app_services
    app.state.settings = settings
    install_error_handlers(app)
    app.include_router(api_router())
    for router in extra_routers:
        app.include_router(router)
    if static_dir is not None and static_dir.is_dir():
        app.mount("/", StaticFiles(directory=static_dir, html=True), name="softphone")
    return app
