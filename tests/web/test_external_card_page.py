"""The screen-pop shows the other CRM's card (issue 18, README "External card lookup").

The bridge's app with CTI_LOOKUP_URL set to a real HTTP server playing the other CRM, a call
played into the screen-pop publisher (no Asterisk, as in test_screenpop_page.py): the pop shows
the other CRM's name, company and owner and "Open in HubSpot", marked as from HubSpot, above the
local card; a number only the other CRM knows pops its card with the form to make a local one; a
number it does not know (404) pops the local card alone.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
import uvicorn
from playwright.async_api import Page, expect

from crm_core.services import Services
from crm_core.settings import CrmSettings
from cti.composition import build_app
from cti.settings import BridgeSettings
from tests.fixtures.bridge import free_port
from tests.fixtures.browser import (
    AGENT_PASSWORD,
    WEB_DB,
    BridgeServer,
    seed_demo,
    serve_in_loop,
)
from tests.web.axe import assert_accessible
from tests.web.test_screenpop_page import JANA, Phone, new_call, pop_of, sign_in

pytestmark = [pytest.mark.browser, WEB_DB]

SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "screenpop-external.png"
ONLY_THERE = "+421907888999"  # no local card
PETER = "+421905555777"  # Peter Kováč's, not known to the other CRM
CARDS = {
    JANA: {"name": "Jana Nováková-Hrubá", "company": "Tatra Logistics Group",
           "owner_extension": "1002", "link": "https://crm.example/contacts/42"},
    ONLY_THERE: {"name": "Marek Horák", "company": "Horák & syn s.r.o.", "owner_extension": "",
                 "link": "https://crm.example/contacts/77"},
}  # fmt: skip


class OtherCrm:
    """GET /lookup?e164=...: 200 with the card it holds, 404 otherwise; counts the questions."""

    def __init__(self) -> None:
        self.asked: list[str] = []

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        e164 = scope["query_string"].decode().removeprefix("e164=").replace("%2B", "+")
        self.asked.append(e164)
        card = CARDS.get(e164)
        await send({"type": "http.response.start", "status": 200 if card else 404,
                    "headers": [(b"content-type", b"application/json")]})  # fmt: skip
        await send(
            {"type": "http.response.body", "body": json.dumps(card).encode() if card else b""}
        )


@pytest_asyncio.fixture
async def other_crm() -> AsyncIterator[tuple[OtherCrm, str]]:
    app, port = OtherCrm(), free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:
        assert not task.done(), "the other CRM did not start"
        await asyncio.sleep(0.01)
    yield app, f"http://127.0.0.1:{port}/lookup"
    server.should_exit = True
    await asyncio.wait_for(task, 10)


@pytest_asyncio.fixture
async def bridge_with_lookup(
    other_crm: tuple[OtherCrm, str], services: Services, crm_settings: CrmSettings,
    monkeypatch: pytest.MonkeyPatch,
) -> AsyncIterator[BridgeServer]:  # fmt: skip
    monkeypatch.setenv("CTI_LOOKUP_URL", other_crm[1])
    monkeypatch.setenv("CTI_LOOKUP_CRM_NAME", "HubSpot")
    monkeypatch.setenv("CTI_LOOKUP_BUDGET_SECONDS", "3")  # unhurried: the test is what it finds
    app = build_app(crm_settings, BridgeSettings(ingest=False, sandbox=False, bus_url="memory://"),
                    services=services)  # fmt: skip
    async with serve_in_loop(app) as url:
        agent, contacts = await seed_demo(services)
        yield BridgeServer(url, services, agent=agent, password=AGENT_PASSWORD,
                           contacts=contacts, bridge=app.state.bridge)  # fmt: skip
        await app.state.bridge.external_cards.close()


async def test_the_pop_shows_the_other_crms_card_above_the_local_one(
    page: Page, bridge_with_lookup: BridgeServer, other_crm: tuple[OtherCrm, str]
) -> None:
    server = bridge_with_lookup
    await sign_in(page, server.url, server)
    phone = Phone(server, new_call())
    await phone.ring("1001")
    pop = pop_of(page, phone.call)
    external = pop.get_by_test_id("pop-external")
    await expect(external).to_contain_text("From HubSpot")
    await expect(external.get_by_test_id("external-name")).to_have_text("Jana Nováková-Hrubá")
    await expect(external.get_by_test_id("external-company")).to_have_text("Tatra Logistics Group")
    await expect(external.get_by_test_id("external-owner")).to_have_text("Owner: ext. 1002")
    link = external.get_by_role("link", name="Open in HubSpot")
    await expect(link).to_have_attribute("href", "https://crm.example/contacts/42")
    await expect(link).to_have_attribute("target", "_blank")
    await expect(link).to_have_attribute("rel", "noopener noreferrer")
    # The local card is still there below it, with its own link.
    await expect(
        pop.get_by_role("heading", level=3, name="Jana Nováková", exact=True)
    ).to_be_visible()
    await expect(pop.get_by_role("link", name="Open full card")).to_be_visible()
    await page.screenshot(path=str(SCREENSHOT), animations="disabled")
    await assert_accessible(page, "pop with the other CRM's card")
    assert other_crm[0].asked == [JANA]
    await phone.end("missed")


async def test_known_there_only_and_known_here_only(
    page: Page, bridge_with_lookup: BridgeServer
) -> None:
    server = bridge_with_lookup
    await sign_in(page, server.url, server)
    only_there = Phone(server, new_call(ONLY_THERE))
    await only_there.ring("1001")
    pop = pop_of(page, only_there.call)
    await expect(pop.get_by_test_id("external-name")).to_have_text("Marek Horák")
    await expect(pop.get_by_role("link", name="Open in HubSpot")).to_have_attribute(
        "href", "https://crm.example/contacts/77"
    )
    await expect(pop.get_by_test_id("external-owner")).to_have_count(0)
    await expect(pop.get_by_role("button", name="Create card")).to_be_visible()
    await only_there.end("missed")

    here_only = Phone(server, new_call(PETER))
    await here_only.ring("1001")
    local = pop_of(page, here_only.call)
    await expect(local.get_by_role("heading", level=3, name="Peter Kováč")).to_be_visible()
    await expect(local.get_by_test_id("pop-external")).to_have_count(0)
