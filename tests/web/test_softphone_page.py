"""The browser phone's plain-words problems, without Asterisk (the page's own server only), and
GET /api/me/sip: the agent's own SIP account, never anyone else's.

- microphone refused, or no microphone at all: the phone says which, does not register, and call
  pops still come;
- a wss:// server that never connected: "certificate not trusted" with the page to open;
- a ws:// server that does not answer: "phone server unreachable";
- no password configured for the extension: "not set up for you".
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from playwright.async_api import Page, expect

from crm_core.models.enums import Role
from crm_core.services import Services
from crm_core.settings import CrmSettings
from cti.composition import build_app
from cti.settings import BridgeSettings
from tests.fixtures.bridge import free_port
from tests.fixtures.browser import (
    AGENT_LOGIN,
    AGENT_PASSWORD,
    WEB_DB,
    BridgeServer,
    seed_demo,
    serve_in_loop,
)
from tests.fixtures.db import MakeUser
from tests.web.test_screenpop_page import Phone, new_call

pytestmark = [pytest.mark.browser, WEB_DB]

# getUserMedia that refuses (or finds no device), or that gives a silent stream (no device flags
# on this Chromium).
REFUSE_MIC = """
navigator.mediaDevices.getUserMedia = () =>
  Promise.reject(new DOMException("Permission denied", "%s"));
"""
FAKE_MIC = """
navigator.mediaDevices.getUserMedia = async () =>
  new AudioContext().createMediaStreamDestination().stream;
"""


@contextlib.asynccontextmanager
async def phone_server(
    services: Services, crm_settings: CrmSettings, seed: bool = True, **sip: Any
) -> AsyncIterator[BridgeServer]:
    settings = BridgeSettings(ingest=False, sandbox=False, bus_url="memory://", **sip)
    app = build_app(crm_settings, settings, services=services)
    async with serve_in_loop(app) as url:
        if seed:
            agent, contacts = await seed_demo(services)
        else:
            existing = await services.users.get_by_login(AGENT_LOGIN)
            assert existing is not None
            agent, contacts = existing, {}
        yield BridgeServer(
            url, services, agent=agent, password=AGENT_PASSWORD, contacts=contacts,
            bridge=app.state.bridge,
        )  # fmt: skip


async def sign_in(page: Page, url: str) -> None:
    await page.goto(url)
    await page.get_by_label("Login").fill(AGENT_LOGIN)
    await page.get_by_label("Password").fill(AGENT_PASSWORD)
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_test_id("live-status")).to_have_text("Live")


async def test_the_api_hands_out_only_the_callers_own_account(
    services: Services, crm_settings: CrmSettings, make_user: MakeUser
) -> None:
    async with phone_server(
        services, crm_settings, sip_passwords="1001=one,*=x-{ext}",
        sip_ws_servers="wss://{host}:8089/ws",
    ) as server:  # fmt: skip
        nobody, nobody_password = await make_user(Role.AGENT, extensions=[])
        async with httpx.AsyncClient(base_url=server.url) as client:
            assert (await client.get("/api/me/sip")).status_code == 401

            async def token(login: str, password: str) -> dict[str, str]:
                body = {"login": login, "password": password}
                r = await client.post("/api/auth/login", json=body)
                return {"Authorization": f"Bearer {r.json()['access_token']}"}

            anna = await client.get("/api/me/sip", headers=await token(AGENT_LOGIN, AGENT_PASSWORD))
            assert anna.status_code == 200
            assert anna.json() == {
                "extension": "1001", "uri": "sip:1001@127.0.0.1", "password": "one",
                "ws_servers": ["wss://127.0.0.1:8089/ws"], "display_name": "Anna Horváthová",
            }  # fmt: skip
            headers = await token(nobody.login, nobody_password)
            assert (await client.get("/api/me/sip", headers=headers)).status_code == 409
            page_source = (await client.get("/")).text + (await client.get("/app.js")).text
            assert "x-{ext}" not in page_source


@pytest.mark.parametrize(
    ("error", "kind", "text", "short"),
    [
        ("NotAllowedError", "microphone", "The browser refused the", "Microphone blocked"),
        ("NotFoundError", "no-microphone", "No microphone was found", "No microphone"),
    ],
)
async def test_microphone_refused_or_missing_is_said_and_pops_still_come(
    page: Page, services: Services, crm_settings: CrmSettings, error: str, kind: str, text: str,
    short: str,
) -> None:  # fmt: skip
    async with phone_server(services, crm_settings, sip_passwords="*=x-{ext}") as server:
        await page.add_init_script(REFUSE_MIC % error)
        await sign_in(page, server.url)
        problem = page.get_by_test_id("phone-problem")
        await expect(problem).to_have_attribute("data-kind", kind)
        await expect(problem).to_contain_text(text)
        await expect(page.get_by_test_id("phone-status")).to_have_text(short + "ext. 1001")
        call = Phone(server, new_call())
        await call.ring("1001")
        pop = page.get_by_test_id("pop")
        await expect(pop.get_by_role("heading", level=3, name="Jana Nováková")).to_be_visible()


async def test_an_untrusted_certificate_and_an_unreachable_server_are_told_apart(
    page: Page, services: Services, crm_settings: CrmSettings
) -> None:
    port = free_port()  # nobody listens there
    await page.add_init_script(FAKE_MIC)
    async with phone_server(
        services, crm_settings, sip_passwords="*=x-{ext}",
        sip_ws_servers=f"wss://127.0.0.1:{port}/ws",
    ) as server:  # fmt: skip
        await sign_in(page, server.url)
        problem = page.get_by_test_id("phone-problem")
        await expect(problem).to_have_attribute("data-kind", "certificate")
        await expect(problem).to_contain_text("certificate is not trusted")
        link = problem.get_by_role("link")
        await expect(link).to_have_attribute("href", f"https://127.0.0.1:{port}/ws")
        await page.get_by_role("button", name="Log out").click()

    async with phone_server(
        services, crm_settings, seed=False, sip_passwords="*=x-{ext}",
        sip_ws_servers=f"ws://127.0.0.1:{port}/ws",
    ) as server:  # fmt: skip
        await sign_in(page, server.url)
        problem = page.get_by_test_id("phone-problem")
        await expect(problem).to_have_attribute("data-kind", "unreachable")
        await expect(problem).to_contain_text("Cannot reach the phone server")


async def test_no_password_configured(
    page: Page, services: Services, crm_settings: CrmSettings
) -> None:
    async with phone_server(services, crm_settings) as server:
        await sign_in(page, server.url)
        chip = page.get_by_test_id("phone-status")
        await expect(chip).to_contain_text("Desk phone")
        await chip.click()
        problem = page.get_by_test_id("phone-problem")
        await expect(problem).to_have_attribute("data-kind", "no-account")
        await expect(problem).to_contain_text("not set up for you")
