"""Asterisk restarted while the browser phone is registered (headless Chromium, the sandbox).

While Asterisk is down the page says so in plain words ("Phone server unreachable"); when it is
back the phone registers again by itself, without a click, and Asterisk lists the contact; a
network "online" event meanwhile does not leave a second phone connected beside it.
The restart goes through the project's Sandbox manager, and Asterisk is started again even when
the test fails: other tests of the session use it.
"""

from __future__ import annotations

import asyncio
import subprocess

import pytest
from playwright.async_api import Browser, expect

from crm_core.models.enums import Role
from cti.sandbox.manager import Sandbox
from tests.e2e.softphone_pages import agent_page, phone_browser, softphone_bridge
from tests.fixtures.bridge import RunningBridge
from tests.fixtures.browser import WEB_DB
from tests.fixtures.db import MakeUser

pytestmark = [pytest.mark.asterisk, pytest.mark.browser, WEB_DB]
__all__ = ["phone_browser", "softphone_bridge"]  # fixtures


async def test_asterisk_restarted_while_registered(
    phone_browser: Browser, make_user: MakeUser, softphone_bridge: RunningBridge, sandbox: Sandbox
) -> None:
    user, password = await make_user(Role.AGENT, extensions=["1001"])
    async with agent_page(phone_browser, softphone_bridge.url, user.login, password) as page:
        chip, problem = page.get_by_test_id("phone-status"), page.get_by_test_id("phone-problem")
        await expect(chip).to_contain_text("Phone ready")
        try:
            assert await asyncio.to_thread(sandbox.down), "Asterisk was not running"
            await expect(problem).to_have_attribute("data-kind", "unreachable", timeout=15_000)
            await expect(problem).to_contain_text("Cannot reach the phone server (Asterisk)")
            await expect(chip).to_contain_text("Phone server unreachable")
            assert not sandbox.status().running
            # The network "comes back" while Asterisk is still down: the page reconnects once,
            # it does not start a second phone beside the one already retrying.
            await page.evaluate("window.dispatchEvent(new Event('online'))")
        finally:
            await asyncio.to_thread(sandbox.up, False)
        await expect(chip).to_contain_text("Phone ready", timeout=45_000)
        await expect(problem).to_have_count(0)
        contacts = await asyncio.to_thread(sandbox.cli, "pjsip show contacts")
        assert "1001/sip:" in contacts, contacts
        await asyncio.sleep(3)  # a second phone would be connecting by now
        assert websockets_to_asterisk() == 1


def websockets_to_asterisk() -> int:
    """Open connections to Asterisk's SIP WebSocket port (8089), as the kernel lists them."""
    out = subprocess.run(
        ["ss", "-Htn", "state", "established", "( dport = :8089 )"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    return len(out.splitlines())
