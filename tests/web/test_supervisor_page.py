"""The supervisors' pages in a real browser against the bridge's app (issue 6).

No Asterisk: queue events go into the bridge's own stats calculator (as the publisher's agent
sink applies them) and its snapshot is published on the bus, exactly what the running
publisher does every half second; the page gets it over /ws/supervisor. Reports read calls
stored through the CRM services.

DOCS_SCREENSHOTS=1 also writes docs/wallboard.png and docs/reports.png (docs/supervisor.png comes
from the page under real traffic: tests/e2e/test_supervisor_simulate_asterisk.py).
"""

from __future__ import annotations

import asyncio
import csv
import io
import os
import re
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.async_api import Page, expect

from crm_core.models.enums import Direction, Disposition, Role
from crm_core.services.dto import Actor, CallRecord, UserCreate
from crm_core.services.dto.agent_events import AgentEventIn, AgentEventKind
from cti.bus.base import SUPERVISOR_TOPIC
from cti.state.events import AmiEvent
from tests.fixtures.browser import WEB_DB, BridgeServer
from tests.stats.helpers import abandon, complete, connect, event, join, leave

pytestmark = [pytest.mark.browser, WEB_DB]

SUPERVISOR, PASSWORD = "sofia", "sofia-secret-1"
JANA = "+421900123456"  # Jana Nováková's mobile in seed_demo
DOCS = Path(__file__).resolve().parents[2] / "docs"
SYSTEM = Actor.system("test")


def member(
    queue: str, agent: str, at: float, name: str = "", paused: str = "0", reason: str = ""
) -> AmiEvent:
    return event(
        "QueueMemberStatus", at, Queue=queue, Interface=f"PJSIP/{agent}", MemberName=name or agent,
        Status="1", Paused=paused, PausedReason=reason, InCall="0",
    )  # fmt: skip


NAMES = {"1001": "Anna Horváthová", "1002": "Boris Kráľ", "1003": "Cyril Novák",
         "1004": "Dana Malá", "1005": "Emil Tichý", "1006": "Filip Veľký"}  # fmt: skip


def answer(queue: str, linkedid: str, agent: str, at: float) -> AmiEvent:
    """AgentConnect as Asterisk sends it: the member's name, not its extension."""
    headers = {**connect(queue, linkedid, agent, at).headers, "MemberName": NAMES[agent]}
    return AmiEvent.from_headers({**headers, "Event": "AgentConnect"})


async def push(server: BridgeServer, *events: AmiEvent) -> None:
    """Events into the bridge's stats calculator, then its snapshot on the bus (as published)."""
    assert server.bridge is not None
    runtime = server.bridge.stats
    await runtime.read_names()  # the users made since the bridge started (its 10 s refresh)
    for item in events:
        runtime.publisher.stats.apply(item)
    await server.bridge.bus.publish(SUPERVISOR_TOPIC, runtime.current())


async def sign_in_as_supervisor(page: Page, server: BridgeServer, route: str) -> None:
    await server.services.users.create(
        SYSTEM,
        UserCreate(login=SUPERVISOR, password=PASSWORD, role=Role.SUPERVISOR, display_name="Sofia"),
    )
    await page.goto(server.url)
    await page.get_by_label("Login").fill(SUPERVISOR)
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_role("navigation", name="Supervisor pages")).to_be_visible()
    await page.goto(f"{server.url}/#/{route}")


def floor(now: float) -> list[AmiEvent]:
    """A morning on three queues: agents in every state, answered, abandoned, callers waiting."""
    staff = list(NAMES.items())
    events = [member(q, ext, now - 3600, name) for ext, name in staff
              for q in ("sales", "support")]  # fmt: skip
    events.append(member("billing", "1006", now - 3600, "Filip Veľký"))
    for n in range(9):
        lid, queue, agent = f"done-{n}", ("sales", "support", "billing")[n % 3], staff[n % 4][0]
        start = now - 3000 + n * 200
        events += [join(queue, lid, start), leave(queue, lid, start + 8 + 6 * n),
                   answer(queue, lid, agent, start + 8 + 6 * n),
                   complete(queue, lid, agent, start + 200, 150 + 10 * n)]  # fmt: skip
    events += [join("support", "gone-1", now - 900), abandon("support", "gone-1", now - 860),
               leave("support", "gone-1", now - 860),
               event("Hangup", now - 860, Uniqueid="gone-1")]  # fmt: skip
    events += [member(q, "1004", now - 400, NAMES["1004"], paused="1", reason="lunch")
               for q in ("support", "sales")]  # fmt: skip
    events.append(member("support", "1005", now - 300, NAMES["1005"], "1", reason="training"))
    events += [join("sales", "talk-1", now - 130), leave("sales", "talk-1", now - 120),
               answer("sales", "talk-1", "1001", now - 120)]  # fmt: skip
    events += [join("support", "wait-1", now - 95), join("support", "wait-2", now - 30),
               join("sales", "wait-3", now - 12)]  # fmt: skip
    return events


async def test_supervisor_sees_live_queue_figures_update(
    page: Page, bridge_server: BridgeServer
) -> None:
    now = time.time()
    jana_call = await bridge_server.services.calls.register(
        SYSTEM,
        CallRecord(
            linkedid="live-1",
            direction=Direction.INBOUND,
            caller=JANA,
            queue="sales",
            started_at=datetime.now(UTC),
        ),
    )
    await push(bridge_server, member("sales", "1001", now - 60, "Anna Horváthová"))
    await sign_in_as_supervisor(page, bridge_server, "supervisor")
    await expect(page.get_by_test_id("supervisor-live")).to_have_text("Live")
    chip = page.get_by_test_id("phone-status")  # Sofia has no extension: said, not alarmed
    await expect(chip).to_have_attribute("data-state", "info")
    await expect(chip).to_have_attribute("title", re.compile("only to listen in"))
    assert await chip.evaluate("e => getComputedStyle(e).color") != "rgb(185, 28, 28)"  # not --bad
    queues, agents = page.get_by_test_id("queue-table"), page.get_by_test_id("agent-table")
    sales = queues.locator('tr[data-row="sales"]')
    anna = agents.locator('tr[data-row="1001"]')
    await expect(sales.locator('td[data-col="waiting"]')).to_have_text("0")
    await expect(anna.locator('td[data-col="state"]')).to_contain_text("Available")

    await push(bridge_server, join("sales", "live-1", time.time() - 5))
    await expect(sales.locator('td[data-col="waiting"]')).to_have_text("1")
    await expect(sales.locator('td[data-col="offered"]')).to_have_text("1")
    first = await sales.locator('td[data-col="longest"]').inner_text()
    await expect(sales.locator('td[data-col="longest"]')).not_to_have_text(first)  # it ticks

    answered = time.time()
    await push(
        bridge_server,
        leave("sales", "live-1", answered),
        connect("sales", "live-1", "1001", answered),
    )
    await expect(sales.locator('td[data-col="waiting"]')).to_have_text("0")
    await expect(sales.locator('td[data-col="answered"]')).to_have_text("1")
    await expect(anna.locator('td[data-col="state"]')).to_contain_text("On a call")
    link = anna.get_by_role("link")
    await expect(link).to_have_attribute("href", f"#/contacts/{jana_call.contact_id}")
    await expect(link).to_have_text(JANA)
    await push(bridge_server, complete("sales", "live-1", "1001", time.time(), 42))
    await expect(anna.locator('td[data-col="handled"]')).to_have_text("1")
    await expect(anna.locator('td[data-col="talk"]')).to_have_text("0:42")
    await expect(anna.locator('td[data-col="call"]')).to_have_text("—")


async def test_alert_colour_when_the_longest_wait_crosses_the_threshold(
    page: Page, bridge_server: BridgeServer
) -> None:
    now = time.time()
    await push(bridge_server, *floor(now))
    await sign_in_as_supervisor(page, bridge_server, "supervisor")
    support = page.get_by_test_id("queue-table").locator('tr[data-row="support"]')
    longest = support.locator('td[data-col="longest"]')
    await expect(longest).to_have_attribute("data-level", "alert")  # 95 s > 60 s by default
    await expect(support).to_have_attribute("data-level", "alert")
    assert (
        await longest.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(253, 236, 236)"
    )
    await expect(page.get_by_test_id("alert-banner")).to_contain_text("support")
    sales = page.get_by_test_id("queue-table").locator('tr[data-row="sales"]')
    await expect(sales.locator('td[data-col="longest"]')).to_have_attribute("data-level", "ok")

    # raise support's limit to 5 minutes: saved in this browser, the alert goes, and stays gone
    await support.get_by_role("button", name="Alert thresholds of support").click()
    form = page.get_by_role("form", name="Alert thresholds of support")
    await form.get_by_label("Longest wait over").fill("300")
    await form.get_by_role("button", name="Save").click()
    await expect(longest).to_have_attribute("data-level", "ok")
    await page.reload()
    await expect(longest).to_have_attribute("data-level", "ok")
    await expect(support.get_by_role("button", name="Alert thresholds of support")).to_contain_text(
        "300 s"
    )


async def test_sorting_the_agents_and_reconnecting(page: Page, bridge_server: BridgeServer) -> None:
    await push(bridge_server, *floor(time.time()))
    sockets = []

    async def through(ws: object) -> None:
        sockets.append(ws)
        ws.connect_to_server()  # type: ignore[attr-defined]

    await page.route_web_socket(re.compile(r".*/ws/supervisor$"), through)
    await sign_in_as_supervisor(page, bridge_server, "supervisor")
    agents = page.get_by_test_id("agent-table")
    await expect(agents.locator("tbody tr")).to_have_count(6)
    await agents.get_by_role("button", name="Handled today").click()
    handled = await agents.locator('tbody td[data-col="handled"]').all_inner_texts()
    assert handled == sorted(handled, key=int, reverse=True), handled
    await agents.get_by_role("button", name="Handled today").click()
    handled = await agents.locator('tbody td[data-col="handled"]').all_inner_texts()
    assert handled == sorted(handled, key=int), handled

    badge = page.get_by_test_id("supervisor-live")
    await expect(badge).to_have_text("Live")
    await sockets[-1].close(code=1011, reason="server went away")
    await expect(badge).to_have_text("Reconnecting…")
    await expect(badge).to_have_text("Live", timeout=15_000)


async def test_wallboard_renders_big_numbers(page: Page, bridge_server: BridgeServer) -> None:
    await push(bridge_server, *floor(time.time()))
    await sign_in_as_supervisor(page, bridge_server, "wallboard")
    board = page.get_by_test_id("wallboard")
    await expect(page.get_by_test_id("wb-waiting").locator(".wb-value")).to_have_text("3")
    await expect(page.get_by_test_id("wb-answered").locator(".wb-value")).to_have_text("10")
    await expect(page.get_by_test_id("wb-abandoned").locator(".wb-value")).to_have_text("1")
    await expect(page.get_by_test_id("wb-paused").locator(".wb-value")).to_have_text("2")
    await expect(page.get_by_test_id("wb-oncall").locator(".wb-value")).to_have_text("1")
    await expect(page.get_by_test_id("wb-longest")).to_have_attribute("data-level", "alert")
    size = (
        await page.get_by_test_id("wb-waiting")
        .locator(".wb-value")
        .evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    )
    assert size >= 90, size  # readable across a room on a 1440 px screen
    assert await board.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(5, 7, 11)"
    await expect(page.locator(".topbar")).to_be_hidden()
    if os.environ.get("DOCS_SCREENSHOTS"):
        await page.wait_for_timeout(300)
        await page.screenshot(path=str(DOCS / "wallboard.png"))


async def test_agents_do_not_get_the_supervisor_pages(
    page: Page, bridge_server: BridgeServer
) -> None:
    await page.goto(bridge_server.url)
    await page.get_by_label("Login").fill(bridge_server.agent.login)
    await page.get_by_label("Password").fill(bridge_server.password)
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_test_id("current-user")).to_be_visible()
    await expect(page.get_by_role("navigation", name="Supervisor pages")).to_have_count(0)
    await page.goto(f"{bridge_server.url}/#/reports")
    await expect(page.get_by_role("alert")).to_contain_text("supervisors and admins")


async def seed_calls(server: BridgeServer) -> None:
    today = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    records = []
    for n in range(60):
        hour = today - timedelta(hours=(n * 7) % 30, minutes=n % 50)
        outcome = n % 6
        answered = outcome < 4
        records.append(
            CallRecord(
                linkedid=f"rep-{n}",
                direction=Direction.INBOUND,
                caller=f"+42190000{n:04d}",
                queue=("sales", "support", "billing")[n % 3],
                answered_by=("1001", "1002", "1003", "1004")[n % 4] if answered else "",
                started_at=hour,
                wait_seconds=5 + (n * 13) % 50,
                talk_seconds=60 + (n * 37) % 400 if answered else 0,
                disposition=Disposition.ANSWERED if answered else Disposition.ABANDONED,
            )
        )
    await server.services.calls.register_many(SYSTEM, records)
    now = datetime.now(UTC)
    await server.services.agent_events.record_many(
        [
            AgentEventIn(extension="1001", queue="sales", kind=kind, reason=reason, at=now - ago)
            for kind, reason, ago in (
                (AgentEventKind.LOGIN, "", timedelta(hours=3)),
                (AgentEventKind.PAUSE, "lunch", timedelta(hours=2)),
                (AgentEventKind.UNPAUSE, "", timedelta(hours=1, minutes=30)),
                (AgentEventKind.PAUSE, "break", timedelta(hours=1)),
                (AgentEventKind.UNPAUSE, "", timedelta(minutes=50)),
            )
        ]
    )


async def test_reports_page_shows_charts_and_downloads_csv(
    page: Page, bridge_server: BridgeServer
) -> None:
    await seed_calls(bridge_server)
    await sign_in_as_supervisor(page, bridge_server, "reports")
    body = page.get_by_test_id("report-body")
    await expect(page.get_by_test_id("kpi-offered").locator(".kpi-value")).to_have_text("60")
    await expect(page.get_by_test_id("kpi-answered").locator(".kpi-value")).to_have_text("40")
    assert await page.get_by_test_id("chart-calls").locator("svg rect").count() > 0
    assert await page.get_by_test_id("chart-sl").locator("svg circle").count() > 0
    await expect(page.get_by_test_id("chart-agents").locator("svg rect")).to_have_count(4)
    anna = page.get_by_test_id("report-agents").locator('tr[data-row="1001"]')
    await expect(anna.locator('td[data-col="pause_seconds"]')).to_contain_text(
        "40:00lunch 30:00 · break 10:00"
    )
    still_in = re.compile(r"^3:00:\d\d$")  # logged in 3 h ago and still in: counted until now
    await expect(anna.locator('td[data-col="login_seconds"]')).to_have_text(still_in)
    await expect(page.get_by_test_id("chart-agent-time").locator("svg rect.c-pause")).to_have_count(
        1
    )
    queues = page.get_by_test_id("report-queues")
    await expect(queues.locator("tbody tr")).to_have_count(3)
    await expect(queues.locator('tfoot td[data-col="offered"]')).to_have_text("60")
    if os.environ.get("DOCS_SCREENSHOTS"):
        await page.screenshot(path=str(DOCS / "reports.png"), full_page=True)

    async with page.expect_download() as info:
        await page.get_by_test_id("csv-queues").click()
    download = await info.value
    text = await asyncio.to_thread(Path(await download.path()).read_text, encoding="utf-8")
    table = list(csv.DictReader(io.StringIO(text)))
    assert [row["key"] for row in table] == ["billing", "sales", "support", "total"]
    assert table[-1]["offered"] == "60"

    # hour buckets over a year: the page says why before asking
    await page.get_by_label("From").fill("2024-01-01")
    await page.get_by_label("Group").select_option("hour")
    await page.get_by_role("button", name="Show").click()
    await expect(page.get_by_role("alert")).to_contain_text("at most 92 days")
    await expect(body).to_be_visible()
