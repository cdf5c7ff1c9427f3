"""The supervisor's "Waiting for a call-back" panel in a real browser (issue 17).

No Asterisk: a call whose caller pressed 1 is registered through the CRM services (the queue
call-back rules keep its place, as for a real call), one more caller joins the queue on the line
before it, and the bridge's own dialler runs a round: the snapshot it publishes reaches the page
over /ws/supervisor. DOCS_SCREENSHOTS=1 writes docs/supervisor-queue-callbacks.png.
"""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.async_api import Page, expect

from crm_core.models.enums import Direction, Disposition
from crm_core.services.dto import Actor, CallRecord
from tests.fixtures.browser import WEB_DB, BridgeServer
from tests.stats.helpers import join
from tests.web.axe import assert_accessible
from tests.web.test_supervisor_page import push, sign_in_as_supervisor

pytestmark = [pytest.mark.browser, WEB_DB]
DOCS = Path(__file__).resolve().parents[2] / "docs"
SYSTEM = Actor.system("test")
CALLER = "+421905111222"


async def _press_one(server: BridgeServer, linkedid: str, joined: datetime) -> None:
    record = CallRecord(
        linkedid=linkedid, direction=Direction.INBOUND, caller=CALLER, queue="sales",
        started_at=joined - timedelta(seconds=2), queued_at=joined,
        ended_at=joined + timedelta(seconds=30), wait_seconds=30,
        disposition=Disposition.CALLBACK_REQUESTED,
    )  # fmt: skip
    await server.services.calls.register(SYSTEM, record)


async def test_supervisor_sees_who_waits_for_a_call_back_and_their_place(
    page: Page, bridge_server: BridgeServer
) -> None:
    assert bridge_server.bridge is not None
    await sign_in_as_supervisor(page, bridge_server, "supervisor")
    panel = page.get_by_test_id("virtual-panel")
    await push(bridge_server)
    await expect(panel.get_by_test_id("virtual-empty")).to_be_visible()

    now = time.time()
    await push(bridge_server, join("sales", "on-the-line", now - 90))
    await _press_one(bridge_server, "pressed-1", datetime.fromtimestamp(now - 60, UTC))
    await bridge_server.bridge.queue_callbacks.tick()
    await push(bridge_server)

    row = panel.get_by_test_id("virtual-pressed-1")
    await expect(row).to_contain_text("sales")
    await expect(row.locator("td").nth(1)).to_have_text("2")  # behind the caller who joined first
    await expect(row).to_contain_text(CALLER)
    await expect(row.locator("td").nth(4)).to_have_text("Waiting")
    waited = await row.locator("td").nth(3).inner_text()
    assert waited.startswith("1:0"), waited  # since the caller joined, not since pressing 1
    await assert_accessible(page, "the supervisor page with a call-back waiting")
    if os.environ.get("DOCS_SCREENSHOTS"):
        await page.screenshot(path=str(DOCS / "supervisor-queue-callbacks.png"), full_page=True)
