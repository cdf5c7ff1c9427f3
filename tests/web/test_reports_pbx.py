"""The reports page's PBX field (several PBXs, issue 14): one PBX's calls in Chromium."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from playwright.async_api import Page, expect

from crm_core.models.enums import Direction, Disposition
from crm_core.services.dto import Actor, CallRecord
from tests.fixtures.browser import BridgeServer
from tests.web.test_supervisor_page import sign_in_as_supervisor

SYSTEM = Actor.system("test")
SCREENSHOT = "/tmp/pbx14-reports-pbx.png"


async def _seed(server: BridgeServer) -> None:
    start = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) - timedelta(hours=1)
    records = [
        CallRecord(
            pbx="brno" if n % 3 == 0 else "default",
            linkedid=f"same-{n % 5}",
            direction=Direction.INBOUND,
            caller=f"+42190000{n:04d}",
            queue="sales",
            answered_by="1001",
            started_at=start + timedelta(minutes=n),
            wait_seconds=5,
            talk_seconds=60,
            disposition=Disposition.ANSWERED,
        )
        for n in range(9)  # default: same-0..4 (same-2 twice); brno: same-0, same-3, same-1
    ]
    await server.services.calls.register_many(SYSTEM, records)


async def test_the_reports_page_filters_by_pbx(page: Page, bridge_server: BridgeServer) -> None:
    await _seed(bridge_server)
    await sign_in_as_supervisor(page, bridge_server, "reports")
    offered = page.get_by_test_id("kpi-offered").locator(".kpi-value")
    await expect(offered).to_have_text("8")  # 5 linkedids on default, 3 on brno (2 on both)
    await page.get_by_label("PBX").fill("brno")
    await page.get_by_role("button", name="Show").click()
    await expect(offered).to_have_text("3")
    wrapups = page.get_by_test_id("wrapup-queue").locator(
        'tfoot td[data-col="answered_without_code"]'
    )
    await expect(wrapups).to_have_text("3")  # the wrap-up codes of brno's calls too
    await page.screenshot(path=SCREENSHOT, full_page=True)
    await page.get_by_label("PBX").fill("default")
    await page.get_by_role("button", name="Show").click()
    await expect(offered).to_have_text("5")
