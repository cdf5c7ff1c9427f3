"""cti.app.create_app: the API, extra routers, and the softphone's static files at /."""

from __future__ import annotations

from pathlib import Path

import httpx
from fastapi import APIRouter

from crm_core.services import Services
from crm_core.settings import CrmSettings
from cti.app import create_app


def client_for(app: object) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test")  # type: ignore[arg-type]


async def test_static_index_and_extra_routers(
    services: Services, crm_settings: CrmSettings, tmp_path: Path
) -> None:
    (tmp_path / "index.html").write_text("<h1>softphone</h1>")
    extra = APIRouter()

    @extra.get("/ws-info")
    async def ws_info() -> dict[str, str]:
        return {"ok": "yes"}

    app = create_app(crm_settings, services=services, extra_routers=[extra], static_dir=tmp_path)
    async with client_for(app) as client:
        assert "softphone" in (await client.get("/")).text
        assert (await client.get("/ws-info")).json() == {"ok": "yes"}
        assert (await client.get("/api/auth/me")).status_code == 401


async def test_without_a_built_softphone_root_is_404(
    services: Services, crm_settings: CrmSettings, tmp_path: Path
) -> None:
    app = create_app(crm_settings, services=services, static_dir=tmp_path / "missing")
    async with client_for(app) as client:
        assert (await client.get("/")).status_code == 404
        assert (await client.get("/openapi.json")).status_code == 200
