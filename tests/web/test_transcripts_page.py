"""Transcripts on the page (issue 16) in Chromium against the bridge's app, English and Slovak.

The agent opens Jana's card: her recorded call has a "Transcript" that says who spoke when, the
keyword it said and the summary a chat model wrote; a call still waiting says so. The search box
finds the call by what the client said and opens her card. An admin adds a keyword rule on
#/keywords (a keyword twice is refused by the field) beside the backlog figures; a supervisor's
live page lists a keyword alert the moment it is published. axe on each page.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.async_api import Page, expect

from crm_core.models import TranscriptJob
from crm_core.models.enums import Role
from crm_core.services import Services
from crm_core.services.dto import Actor, CallFilter, CallRecord, UserCreate
from crm_core.services.dto.recordings import RecordingStart
from crm_core.services.dto.transcripts import KeywordRuleCreate
from crm_core.services.transcript_access import keyword_rules_of, transcript_jobs_of
from crm_core.services.transcript_jobs import Line, Summary
from cti.bus.base import SUPERVISOR_ALERTS_TOPIC
from cti.transcripts.alerts import keyword_alert
from tests.fixtures.browser import WEB_DB, BridgeServer
from tests.transcripts.spoken import speak
from tests.web import test_languages_page as languages
from tests.web.axe import assert_accessible
from tests.web.test_languages_page import browser_in

pytestmark = [pytest.mark.browser, WEB_DB]

DOCS = Path(__file__).resolve().parents[2] / "docs"
SYSTEM = Actor.system()
PASSWORD = "transcripts-secret-1"
LINES = [
    Line("caller", 1200, 3900, "my invoice is wrong and I need a refund"),
    Line("agent", 4600, 7300, "I am sorry I will send you a new invoice today"),
    Line("caller", 8100, 9800, "otherwise I will call my lawyer"),
]


async def _call(services: Services, linkedid: str, minutes: int) -> int:
    at = datetime.now(UTC) - timedelta(minutes=minutes)
    record = CallRecord(
        linkedid=linkedid, direction="inbound", caller="+421900123456", callee="100",
        answered_by="1001", queue="sales", started_at=at, answered_at=at + timedelta(seconds=8),
        ended_at=at + timedelta(seconds=95), talk_seconds=87, disposition="answered",
        recording=f"{linkedid}.wav",
    )  # fmt: skip
    call = await services.calls.register(Actor.system("cti"), record)
    async with services.sessions.begin() as session:
        session.add(TranscriptJob(call_id=call.id, status="queued", attempts=0, claimed_by="",
                                  last_error="", backend=""))  # fmt: skip
    return call.id


async def _transcribed(services: Services) -> int:
    await keyword_rules_of(services).create(SYSTEM, KeywordRuleCreate(keyword="lawyer"))
    done = await _call(services, "tx-done", minutes=40)
    await _call(services, "tx-waiting", minutes=3)
    jobs = transcript_jobs_of(services)
    job = await jobs.claim("test", timedelta(minutes=5))
    assert job is not None
    assert job.call_id == done
    summary = Summary(
        "Her invoice was wrong; a new one goes out today.",
        "Resend the corrected invoice and confirm the refund.", "local-llm",
    )  # fmt: skip
    assert await jobs.complete(job, "pocketsphinx", LINES, summary)
    await keyword_rules_of(services).flag_call(done)
    await _recording(services, "tx-done")
    return done


async def _recording(services: Services, linkedid: str) -> None:
    """The call's mixed recording, complete in the recordings directory (the player's file)."""
    root = services.settings.recordings_dir
    root.mkdir(parents=True, exist_ok=True)
    speak(" ".join(line.text for line in LINES), root / f"{linkedid}.wav")
    at = datetime.now(UTC) - timedelta(minutes=40)
    start = RecordingStart(linkedid=linkedid, file_name=f"{linkedid}.wav", at=at,
                           channel="PJSIP/trunk-00000001")  # fmt: skip
    await services.recording_log.started(start)
    await services.recording_log.stopped(start.file_name, at + timedelta(seconds=95))


async def sign_in(page: Page, url: str, login: str, password: str) -> None:
    await page.goto(url)
    await page.get_by_label("Login").fill(login)
    await page.get_by_label("Password").fill(password)
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_test_id("current-user")).to_be_visible()


async def test_the_card_shows_the_transcript_and_search_finds_what_the_client_said(
    page: Page, bridge_server: BridgeServer
) -> None:
    services = bridge_server.services
    call_id = await _transcribed(services)
    await sign_in(page, bridge_server.url, bridge_server.agent.login, bridge_server.password)

    search = page.get_by_role("searchbox")
    await search.fill("refund")
    said = page.get_by_test_id("said-results")
    await expect(said.locator(".said-hit")).to_have_count(1)
    await expect(said).to_contain_text("my invoice is wrong and I need a refund")
    await expect(page.locator(".said-status")).to_have_text("1 line of a call says it")
    await page.get_by_label("Only what clients said").check()
    await search.fill("new invoice")
    await expect(page.locator(".said-status")).to_have_text(
        "No call transcript says “new invoice”."
    )
    await page.get_by_label("Only what clients said").uncheck()
    await expect(said.locator(".said-hit")).to_have_count(1)
    await search.fill("refund")
    await said.locator(".said-hit").first.click()
    await expect(page.locator(".card-name")).to_contain_text("Jana")

    transcript = page.locator(f"[data-testid=transcript][data-call-id='{call_id}']")
    await transcript.locator("summary").click()
    await expect(transcript.locator(".tr-status")).to_have_text("3 lines")
    lines = transcript.locator(".tr-line")
    await expect(lines).to_have_count(3)
    await expect(lines.nth(0)).to_contain_text("0:01")
    await expect(lines.nth(0)).to_contain_text("Client")
    await expect(lines.nth(1)).to_contain_text("Agent")
    await expect(lines.nth(2)).to_have_attribute("data-flagged", "true")
    await expect(transcript.get_by_test_id("transcript-flags")).to_contain_text("lawyer")
    await expect(transcript.get_by_test_id("transcript-summary")).to_contain_text(
        "Resend the corrected invoice and confirm the refund."
    )
    waiting = page.locator(f"[data-testid=transcript]:not([data-call-id='{call_id}'])").first
    await waiting.locator("summary").click()
    await expect(waiting.locator(".tr-status")).to_have_text("Waiting to be transcribed…")
    await expect(waiting.get_by_test_id("transcript-summary")).to_have_count(0)
    item = page.locator(".tl-item").filter(has=transcript)
    await item.get_by_role("button", name="Play recording").click()
    player = item.locator(".rec-player audio")
    await expect(player).to_have_count(1)
    await lines.nth(1).locator(".tr-time").click()  # the agent's line at 0:04.6: the player seeks
    await page.wait_for_function(
        "el => el.currentTime >= 4.5", arg=await player.element_handle(), timeout=10_000
    )
    await player.evaluate("el => el.pause()")
    await transcript.scroll_into_view_if_needed()
    await page.screenshot(path=str(DOCS / "transcripts.png"), animations="disabled")
    await assert_accessible(page, "card with a transcript")


async def test_the_transcript_in_slovak(
    browser_in: dict[str, Page], bridge_server: BridgeServer
) -> None:
    call_id = await _transcribed(bridge_server.services)
    page = browser_in["sk"]
    await languages.sign_in(page, bridge_server, languages.WORDS["sk"])
    await page.get_by_role("searchbox").fill("refund")
    await expect(page.locator(".said-status")).to_have_text("Hovorí to 1 riadok hovoru")
    await page.get_by_test_id("said-results").locator(".said-hit").first.click()
    transcript = page.locator(f"[data-testid=transcript][data-call-id='{call_id}']")
    await transcript.locator("summary").click()
    await expect(transcript.locator("summary")).to_have_text("Prepis")
    await expect(transcript.locator(".tr-status")).to_have_text("3 riadky")
    await expect(transcript.locator(".tr-line").nth(0)).to_contain_text("Klient")
    await expect(transcript.locator(".tr-line").nth(1)).to_contain_text("Agent")
    await expect(transcript.get_by_test_id("transcript-summary")).to_contain_text("Zhrnutie:")
    await languages.no_foreign_text(page, "sk")


async def test_keyword_rules_backlog_and_a_supervisors_alert(
    page: Page, bridge_server: BridgeServer
) -> None:
    services = bridge_server.services
    for login, role in (("ada", Role.ADMIN), ("sam", Role.SUPERVISOR)):
        data = UserCreate(login=login, password=PASSWORD, role=role, display_name=login.title())
        await services.users.create(SYSTEM, data)
    await _transcribed(services)
    await sign_in(page, bridge_server.url, "ada", PASSWORD)
    await page.locator(".nav-more > summary").click()  # the top bar's "More" menu
    await page.get_by_role("link", name="Keywords").click()
    await expect(page.get_by_role("heading", name="Transcripts and keyword rules")).to_be_visible()
    await expect(page.get_by_test_id("backlog-queued")).to_have_text("1 queued")
    await expect(page.get_by_test_id("backlog-done")).to_have_text("1 done")
    form = page.get_by_test_id("kw-form")
    await form.get_by_label("Word or phrase").fill("Cancel my contract")
    await form.get_by_label("Said by").select_option("caller")
    await form.get_by_role("button", name="Add rule").click()
    rules = page.get_by_test_id("kw-rule")
    await expect(rules).to_have_count(2)
    await expect(page.locator("[data-keyword='cancel my contract']")).to_contain_text("The client")
    await form.get_by_label("Word or phrase").fill("lawyer")
    await form.get_by_role("button", name="Add rule").click()
    await expect(form.locator(".field-error")).to_contain_text(
        "The keyword “lawyer” already has a rule."
    )
    await expect(form.get_by_label("Word or phrase")).to_have_attribute("aria-invalid", "true")
    await page.screenshot(
        path=str(DOCS / "transcript-keywords.png"), animations="disabled", full_page=True
    )
    await assert_accessible(page, "keyword rules (admin)")

    await page.get_by_role("button", name="Log out").click()
    await sign_in(page, bridge_server.url, "sam", PASSWORD)
    await page.goto(f"{bridge_server.url}/#/supervisor")
    panel = page.get_by_test_id("keyword-alert-panel")
    await expect(panel).to_contain_text("No call has said a keyword since this page opened.")
    await expect(page.get_by_test_id("supervisor-live")).to_have_attribute("data-state", "live")
    call = (await services.calls.list(SYSTEM, CallFilter())).items[0]
    flags = await keyword_rules_of(services).flag_call(call.id)
    assert bridge_server.bridge is not None
    await bridge_server.bridge.bus.publish(
        SUPERVISOR_ALERTS_TOPIC, keyword_alert(call, flags or [])
    )
    alert = panel.locator(".kw-alert")
    await expect(alert).to_have_count(1)
    await expect(alert).to_contain_text("+421900123456")
    await assert_accessible(page, "supervisor with a keyword alert")


__all__ = ["browser_in"]
