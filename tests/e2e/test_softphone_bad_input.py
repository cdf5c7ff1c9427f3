"""The browser phone's bad input against the real Asterisk (headless Chromium, fake microphone).

- a second tab registering the same extension takes the phone (newest wins), the first tab says
  so, and "Use the phone here" takes it back;
- a wrong SIP password is said in plain words, and the phone stops retrying.
"""

from __future__ import annotations

import pytest
from playwright.async_api import Browser, expect

from crm_core.models.enums import Role
from crm_core.services import Services
from crm_core.settings import CrmSettings
from cti.sandbox.manager import ConnectionInfo
from tests.e2e.softphone_pages import WSS, agent_page, phone_browser, sign_in, softphone_bridge
from tests.fixtures.bridge import RunningBridge, bridge_settings, serve_bridge
from tests.fixtures.browser import WEB_DB
from tests.fixtures.db import MakeUser

pytestmark = [pytest.mark.asterisk, pytest.mark.browser, WEB_DB]
__all__ = ["phone_browser", "softphone_bridge"]  # fixtures


async def test_wrong_password_and_a_second_tab(
    phone_browser: Browser,
    services: Services,
    make_user: MakeUser,
    crm_settings: CrmSettings,
    asterisk: ConnectionInfo,
    softphone_bridge: RunningBridge,
) -> None:
    user, password = await make_user(Role.AGENT, extensions=["1001"])
    # A second tab of the same agent: the newest registration takes the phone.
    async with agent_page(phone_browser, softphone_bridge.url, user.login, password) as first:
        await expect(first.get_by_test_id("phone-status")).to_contain_text("Phone ready")
        second = await first.context.new_page()
        await sign_in(second, softphone_bridge.url, user.login, password)
        await expect(second.get_by_test_id("phone-status")).to_contain_text("Phone ready")
        problem = first.get_by_test_id("phone-problem")
        await expect(problem).to_have_attribute("data-kind", "replaced")
        await expect(problem).to_contain_text("registered in another tab")
        # Taking it back works the other way round.
        await problem.get_by_role("button", name="Use the phone here").click()
        await expect(first.get_by_test_id("phone-status")).to_contain_text("Phone ready")
        second_problem = second.get_by_test_id("phone-problem")
        await expect(second_problem).to_have_attribute("data-kind", "replaced")

    wrong = bridge_settings(asterisk, sip_passwords="1001=not-the-password", sip_ws_servers=WSS)
    async with (
        serve_bridge(crm_settings, wrong, services) as bad,
        agent_page(phone_browser, bad.url, user.login, password) as page,
    ):
        problem = page.get_by_test_id("phone-problem")
        await expect(problem).to_have_attribute("data-kind", "password")
        await expect(problem).to_contain_text("refused your extension's password")
        await expect(page.get_by_test_id("phone-status")).to_contain_text("Wrong SIP password")
