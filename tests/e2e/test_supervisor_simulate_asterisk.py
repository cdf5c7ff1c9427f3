"""The supervisor's page while `cti simulate` drives random calls through the sandbox and a real
running bridge: waiting callers and answered counts change on the page, agents change state,
and the figures agree with Asterisk's own QueueSummary / QueueStatus, sampled during the traffic
and compared exactly once it has settled. Saves docs/supervisor.png mid-traffic."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sys
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import Page, expect

from crm_core.models.enums import Role
from cti.ami.client import AmiClient
from tests.fixtures.bridge import RunningBridge, wait_until
from tests.fixtures.db import TEST_PASSWORD, MakeUser

pytestmark = [pytest.mark.asterisk, pytest.mark.browser]
log = logging.getLogger(__name__)
ROOT = Path(__file__).resolve().parents[2]
CTI = str(Path(sys.executable).with_name("cti"))
QUEUES = ("sales", "support")
CALLS, RATE, SEED = 40, 2.0, 6


async def asterisk_now(ami: AmiClient) -> dict[str, dict[str, str]]:
    """Per queue: QueueSummary's Callers/LoggedIn/Available and QueueParams' counters."""
    summary = await ami.send_action({"Action": "QueueSummary"})
    params = await ami.send_action({"Action": "QueueStatus"})
    found: dict[str, dict[str, str]] = {q: {} for q in QUEUES}
    for reply in [*summary, *params]:
        if reply.get("Event") in ("QueueSummary", "QueueParams") and reply["Queue"] in found:
            found[reply["Queue"]].update(reply)
    return found


def ours(snapshot: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {q["name"]: q for q in snapshot["queues"] if q["name"] in QUEUES}


async def page_view(page: Page) -> dict[str, Any]:
    """What the supervisor sees: each queue's waiting and answered cells, every agent's state."""
    return await page.evaluate(
        """() => {
          const cell = (q, c) => document.querySelector(
            `[data-testid=queue-table] tr[data-row="${q}"] td[data-col="${c}"]`)?.textContent;
          const states = [...document.querySelectorAll("[data-testid=agent-table] tbody tr")]
            .map((r) => r.dataset.state);
          const both = (c) => ({sales: cell("sales", c), support: cell("support", c)});
          const spy = document.querySelectorAll("[data-testid=agent-table] .spy-buttons").length;
          return {waiting: both("waiting"), answered: both("answered"), states, spy};
        }"""
    )


async def sign_in(page: Page, url: str, login: str) -> None:
    await page.goto(url)
    await page.get_by_label("Login").fill(login)
    await page.get_by_label("Password").fill(TEST_PASSWORD)
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_role("navigation", name="Supervisor pages")).to_be_visible()
    await page.goto(f"{url}/#/supervisor")
    await expect(page.get_by_test_id("supervisor-live")).to_have_text("Live")


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
async def test_supervisor_page_follows_simulated_traffic_and_agrees_with_asterisk(
    page: Page, running_bridge: RunningBridge, make_user: MakeUser
) -> None:
    bridge = running_bridge.bridge
    boss, _ = await make_user(Role.SUPERVISOR)  # no extension: the page works without one
    await wait_until(lambda: not bridge.stats.stats.pending, 20, "earlier calls to settle")
    reset = await bridge.ami.send_action({"Action": "QueueReset"})
    assert reset[0].get("Response") == "Success", reset
    before = ours(bridge.stats.current())
    await sign_in(page, running_bridge.url, boss.login)

    simulate = await asyncio.create_subprocess_exec(
        CTI, "simulate", "--calls", str(CALLS), "--rate", str(RATE), "--seed", str(SEED),
        cwd=ROOT, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )  # fmt: skip
    views, samples, shot = [], [], False
    while simulate.returncode is None:
        theirs, mine = await asterisk_now(bridge.ami), ours(bridge.stats.current())
        samples.append((theirs, mine))
        views.append(await page_view(page))
        view = views[-1]
        answered = any(count not in ("0", None) for count in view["answered"].values())
        waiting = any(count not in ("0", None) for count in view["waiting"].values())
        lively = "on_call" in view["states"] and answered and (waiting or len(samples) > 50)
        if lively and not shot and len(samples) > 20:
            await page.screenshot(path=str(ROOT / "docs" / "supervisor.png"), full_page=True)
            shot = True
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(simulate.wait(), 0.5)
    output = (await simulate.stdout.read()).decode() if simulate.stdout else ""
    assert simulate.returncode == 0, output
    log.warning("cti simulate: %s; %d samples", output.strip(), len(samples))

    # the page moved: callers waited, answered counts grew, agents rang and talked
    assert {v["waiting"]["sales"] for v in views} | {v["waiting"]["support"] for v in views} > {"0"}
    assert len({(v["answered"]["sales"], v["answered"]["support"]) for v in views}) >= 3
    assert {"on_call", "available"} <= {s for v in views for s in v["states"]}
    assert max(v["spy"] for v in views) > 0  # listen / whisper / barge on the agents on a call
    assert shot, "no moment with callers waiting and an agent on a call to photograph"

    # during the traffic, our live figures match Asterisk's at (nearly) the same moment
    def agree(key: str, theirs_key: str, queue: str) -> float:
        same = [int(t[queue][theirs_key]) == m[queue][key] for t, m in samples]
        return sum(same) / len(same)

    assert agree("waiting", "Callers", "sales") >= 0.7
    assert agree("waiting", "Callers", "support") >= 0.7
    logged = [
        int(t[q]["LoggedIn"]) == m[q]["agents"]["logged_in"] for t, m in samples for q in QUEUES
    ]
    assert sum(logged) / len(logged) >= 0.9
    waited = [(q, m[q]["waiting"]) for t, m in samples for q in QUEUES
              if int(t[q]["Callers"]) > 0 and m[q]["waiting"] == int(t[q]["Callers"])]  # fmt: skip
    assert waited, "never saw the same callers waiting on both sides"

    # settled: exactly Asterisk's counters since the reset, and the page shows the same
    await wait_until(lambda: not bridge.stats.stats.pending, 30, "the last calls to settle")
    await asyncio.sleep(1)
    theirs, mine = await asterisk_now(bridge.ami), ours(bridge.stats.current())
    log.warning("asterisk %s", theirs)
    for name in QUEUES:
        since = {k: mine[name][k] - before[name][k]
                 for k in ("completed", "abandoned", "timed_out", "answered")}  # fmt: skip
        assert since["completed"] == int(theirs[name]["Completed"]), (name, since, theirs[name])
        assert since["abandoned"] + since["timed_out"] == int(theirs[name]["Abandoned"]), name
        assert mine[name]["waiting"] == int(theirs[name]["Callers"]) == 0
        row = page.get_by_test_id("queue-table").locator(f'tr[data-row="{name}"]')
        await expect(row.locator('td[data-col="answered"]')).to_have_text(
            str(mine[name]["answered"])
        )
        await expect(row.locator('td[data-col="waiting"]')).to_have_text("0")
    assert sum(int(theirs[q]["Completed"]) + int(theirs[q]["Abandoned"]) for q in QUEUES) >= 4
