"""The live transcript on the page (issue 16, "Live, while the call goes on") in Chromium against
the bridge's app, English and Slovak: the agent's pop of the call in progress shows the lines as
their frames come over /ws/agent (a line still being said grows in place and is marked, then
its final words replace it), and says when the live transcript stopped while the call goes on;
the supervisor's page shows every call's lines under the agent's name. The frames are the ones
cti/live/ sends (cti.live.frames); the sandbox test (tests/live/) proves they come from a real
call. axe on the pop and the supervisor page; the screenshot in the README."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.async_api import Page, expect

from crm_core.models.enums import Role
from crm_core.services.dto import Actor, UserCreate
from cti.bus.base import SUPERVISOR_LIVE_TOPIC, agent_topic
from cti.live.frames import live_line, live_stopped
from tests.fixtures.browser import WEB_DB, BridgeServer
from tests.web import test_languages_page as languages
from tests.web.axe import assert_accessible
from tests.web.test_languages_page import browser_in
from tests.web.test_screenpop_page import Phone, new_call, pop_of, sign_in

pytestmark = [pytest.mark.browser, WEB_DB]
DOCS = Path(__file__).resolve().parents[2] / "docs"


def _partial(utt: int, text: str) -> dict[str, object]:
    return {"kind": "partial", "utt": utt, "text": text, "at": 1.0}


def _final(utt: int, text: str, start: float, end: float) -> dict[str, object]:
    return {"kind": "final", "utt": utt, "text": text, "start": start, "end": end, "at": end}


async def _say(server: BridgeServer, topic: str, frame: dict[str, object]) -> None:
    assert server.bridge is not None
    await server.bridge.bus.publish(topic, frame)


async def test_the_pop_shows_the_lines_as_they_are_said_and_when_the_transcript_stopped(
    page: Page, bridge_server: BridgeServer
) -> None:
    await sign_in(page, bridge_server.url, bridge_server)
    phone = Phone(bridge_server, new_call())
    await phone.ring("1001")
    await phone.answer("1001")
    pop = pop_of(page, phone.call)
    await expect(pop).to_have_attribute("data-phase", "talking")
    await expect(pop.get_by_test_id("live-transcript")).to_have_count(0)  # nothing said yet

    me, linkedid = agent_topic("1001"), phone.call.linkedid
    await _say(bridge_server, me, live_line(linkedid, "1001", "caller", _partial(0, "my invoice")))
    live = pop.get_by_test_id("live-transcript")
    line = live.locator(".live-tr-line")
    await expect(line).to_have_count(1)
    await expect(line).to_have_attribute("data-final", "false")
    await expect(line).to_contain_text("Client")
    await expect(line.locator(".live-tr-text")).to_have_text("my invoice")
    wrong = live_line(linkedid, "1001", "caller", _partial(0, "my invoice is wrong"))
    await _say(bridge_server, me, wrong)
    await expect(line.locator(".live-tr-text")).to_have_text("my invoice is wrong")
    await _say(bridge_server, me, live_line(linkedid, "1001", "caller",
               _final(0, "my invoice is wrong and i need a refund", 0.5, 3.2)))  # fmt: skip
    await expect(line).to_have_attribute("data-final", "true")
    await expect(line.locator(".live-tr-text")).to_have_text(
        "my invoice is wrong and i need a refund"
    )
    await _say(bridge_server, me, live_line(linkedid, "1001", "agent",
               _partial(0, "i am sorry i will send")))  # fmt: skip
    await expect(live.locator(".live-tr-line")).to_have_count(2)
    agent_line = live.locator(".live-tr-line").nth(1)
    await expect(agent_line).to_contain_text("Agent")
    await expect(agent_line).to_have_attribute("data-final", "false")
    # another call's lines never land on this pop
    await _say(bridge_server, me, live_line("other-call", "1001", "caller", _partial(0, "hello")))
    await _say(bridge_server, me, live_stopped(linkedid, "1001", "caller", "decoder_failed",
                                               "the decoding process ended"))  # fmt: skip
    stopped = live.get_by_test_id("live-transcript-stopped")
    await expect(stopped).to_have_text(
        "The live transcript stopped (Client). The call goes on; it is transcribed after the "
        "call as usual."
    )
    await expect(live.locator(".live-tr-line")).to_have_count(2)
    await expect(pop).to_have_attribute("data-phase", "talking")  # the call goes on
    await page.screenshot(path=str(DOCS / "live-transcript.png"), animations="disabled")
    await assert_accessible(page, "a pop with its live transcript")

    await phone.end(talk=40)
    await expect(pop).to_have_attribute("data-phase", "ended")
    await expect(pop.get_by_test_id("live-transcript")).to_contain_text("i need a refund")


async def test_the_live_transcript_in_slovak_and_on_the_supervisors_page(
    browser_in: dict[str, Page], bridge_server: BridgeServer
) -> None:
    page = browser_in["sk"]
    await languages.sign_in(page, bridge_server, languages.WORDS["sk"])
    phone = Phone(bridge_server, new_call())
    await phone.ring("1001")
    await phone.answer("1001")
    pop = pop_of(page, phone.call)
    await expect(pop).to_have_attribute("data-phase", "talking")
    linkedid = phone.call.linkedid
    await _say(bridge_server, agent_topic("1001"), live_line(linkedid, "1001", "caller",
               _final(0, "potrebujem vratit peniaze", 0.4, 2.0)))  # fmt: skip
    live = pop.get_by_test_id("live-transcript")
    await expect(live.get_by_role("heading", name="Živý prepis")).to_be_visible()
    await expect(live.locator(".live-tr-line")).to_contain_text("Klient")
    await _say(bridge_server, agent_topic("1001"), live_stopped(linkedid, "1001", None,
               "capacity", "2 calls are transcribed live already"))  # fmt: skip
    await expect(live.get_by_test_id("live-transcript-stopped")).to_contain_text(
        "Tento hovor nemá živý prepis"
    )

    await bridge_server.services.users.create(
        Actor.system("test"),
        UserCreate(login="vera", password=bridge_server.password, role=Role.SUPERVISOR),
    )
    supervisor = browser_in["en"]
    await supervisor.goto(bridge_server.url)
    await supervisor.get_by_label("Login").fill("vera")
    await supervisor.get_by_label("Password").fill(bridge_server.password)
    await supervisor.get_by_role("button", name="Sign in").click()
    await supervisor.goto(f"{bridge_server.url}/#/supervisor")
    panel = supervisor.get_by_test_id("live-transcripts-panel")
    await expect(panel).to_contain_text("No call is being transcribed live now.")
    await expect(supervisor.get_by_test_id("supervisor-live")).to_have_attribute(
        "data-state", "live"
    )
    await _say(bridge_server, SUPERVISOR_LIVE_TOPIC, live_line(linkedid, "1001", "caller",
               _partial(0, "my invoice is wrong")))  # fmt: skip
    box = panel.locator(".live-tr-call[data-agent='1001']")
    await expect(box.locator(".live-tr-text")).to_have_text("my invoice is wrong")
    await expect(box.locator(".live-tr-agent")).to_contain_text("1001")
    await assert_accessible(supervisor, "the supervisor's live transcripts")


__all__ = ["browser_in"]
