"""Finding 9 (issue 13): security headers, a request body limit, 422s that do not echo the
input, and /api/bridge/status telling anonymous callers only what a health check needs."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest_asyncio

from crm_core.services import Services
from crm_core.settings import CrmSettings
from cti.composition import build_app
from cti.settings import BridgeSettings
from tests.fixtures.db import LoginAs

MiB = 1024 * 1024


@pytest_asyncio.fixture
async def bridge_client(
    services: Services, crm_settings: CrmSettings
) -> AsyncIterator[httpx.AsyncClient]:
    settings = BridgeSettings(ingest=False, sandbox=False, bus_url="memory://")
    app = build_app(crm_settings, settings, services=services)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        yield client


async def test_every_answer_carries_the_security_headers(api_client: httpx.AsyncClient) -> None:
    for path in ("/api/auth/me", "/openapi.json", "/"):
        headers = (await api_client.get(path)).headers
        assert headers["x-content-type-options"] == "nosniff", path
        assert headers["x-frame-options"] == "DENY", path
        assert headers["referrer-policy"] == "no-referrer", path
        csp = headers["content-security-policy"]
        assert "script-src 'self'" in csp
        assert "frame-ancestors 'none'" in csp


async def test_a_body_over_the_limit_is_413_with_or_without_a_length(
    api_client: httpx.AsyncClient, login_as: LoginAs
) -> None:
    me = await login_as("agent")
    big = b'{"first_name": "' + b"x" * (2 * MiB) + b'"}'
    declared = await api_client.post("/api/contacts", content=big, headers=me.headers)

    async def chunks() -> AsyncIterator[bytes]:
        for start in range(0, len(big), 64 * 1024):
            yield big[start : start + 64 * 1024]

    streamed = await api_client.post("/api/contacts", content=chunks(), headers=me.headers)
    assert (declared.status_code, streamed.status_code) == (413, 413)
    small = await api_client.post("/api/contacts", json={"first_name": "Eva"}, headers=me.headers)
    assert small.status_code == 201


async def test_a_422_names_the_field_without_echoing_the_input(
    api_client: httpx.AsyncClient, login_as: LoginAs
) -> None:
    me = await login_as("agent")
    body = {"first_name": "y" * 900_000, "email": "not an email"}
    response = await api_client.post("/api/contacts", json=body, headers=me.headers)
    assert response.status_code == 422
    assert len(response.content) < 2000
    assert {error["loc"][-1] for error in response.json()["detail"]} == {"first_name", "email"}


async def test_bridge_status_tells_anonymous_callers_only_the_health(
    bridge_client: httpx.AsyncClient, login_as: LoginAs
) -> None:
    anonymous = await bridge_client.get("/api/bridge/status")
    assert anonymous.status_code == 200
    public = anonymous.json()
    assert {"state", "active_calls"} <= set(public) <= {"state", "active_calls", "lease"}
    assert not {"error", "holder", "name"} & set(public.get("lease", {}))  # hosts, pids
    me = await login_as("agent")
    signed_in = await bridge_client.get("/api/bridge/status", headers=me.headers)
    assert {"ami", "state", "active_calls"} <= set(signed_in.json())
    forged = await bridge_client.get("/api/bridge/status", headers={"Authorization": "Bearer x"})
    assert forged.status_code == 401
