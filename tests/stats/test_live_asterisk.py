"""Our queue figures against Asterisk's own QueueParams for the same traffic on the sandbox."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any

import pytest

from cti.ami.client import AmiClient
from cti.sandbox.manager import ConnectionInfo
from cti.sandbox.settings import SandboxSettings
from cti.sandbox.sim.scenarios import (
    queue_abandoned,
    queue_answered_first_agent,
    queue_ringall_one_answers,
    talk,
)
from cti.sandbox.sim.world import open_world
from tests.fixtures.bridge import RunningBridge, wait_until

pytestmark = pytest.mark.asterisk
log = logging.getLogger(__name__)


async def queue_params(ami: AmiClient) -> dict[str, dict[str, str]]:
    replies = await ami.send_action({"Action": "QueueStatus"})
    return {r["Queue"]: r for r in replies if r.get("Event") == "QueueParams"}


async def settled(current: Callable[[], dict[str, Any]], quiet: float = 1.0) -> None:
    """Until the figures stop moving: the last events of an earlier test's calls may still be on
    their way through the bridge when Asterisk already has no channel left."""
    figures = list(current()["queues"])
    for _ in range(20):
        await asyncio.sleep(quiet)
        now = list(current()["queues"])
        if now == figures:
            return
        figures = now
    raise AssertionError("the queue figures never settled")


def ours(snapshot: dict[str, Any], name: str) -> dict[str, Any]:
    queue: dict[str, Any] = next(q for q in snapshot["queues"] if q["name"] == name)
    return queue


async def test_figures_match_asterisk_queue_params(
    running_bridge: RunningBridge, asterisk: ConnectionInfo
) -> None:
    bridge = running_bridge.bridge
    async with open_world(SandboxSettings.from_env(), stub_agi=False) as world:
        await world.wait_idle()  # a call left over from an earlier test must not count here
        await wait_until(lambda: not bridge.stats.stats.pending, 10, "earlier calls to settle")
        await settled(bridge.stats.current)
        reset = await bridge.ami.send_action({"Action": "QueueReset"})
        assert reset[0].get("Response") == "Success", reset
        before = {name: dict(ours(bridge.stats.current(), name)) for name in ("sales", "support")}
        await queue_ringall_one_answers(world)
        await queue_abandoned(world)
        # rrmemory starts after whoever took the last support call: let every member answer
        world.phones.plans.update({ext: talk(4) for ext in ("1004", "1005", "1006")})
        await queue_answered_first_agent(world)
        await world.wait_idle()
    await wait_until(lambda: not bridge.stats.stats.pending, 10, "the abandon to settle")
    await asyncio.sleep(0.5)
    asterisk_params = await queue_params(bridge.ami)
    snapshot = bridge.stats.current()
    log.warning("ours: %s", [(q["name"], {k: q[k] for k in ("offered", "answered", "abandoned",
                "completed", "sl", "sl2", "asa", "aht")}) for q in snapshot["queues"]])  # fmt: skip
    log.warning("asterisk: %s", asterisk_params)

    def since_reset(name: str, key: str) -> int:
        return int(ours(snapshot, name)[key]) - int(before[name][key])

    for name in ("sales", "support"):
        mine, theirs = ours(snapshot, name), asterisk_params[name]
        assert since_reset(name, "completed") == int(theirs["Completed"]), name
        assert since_reset(name, "abandoned") == int(theirs["Abandoned"]), name
        assert mine["waiting"] == int(theirs["Calls"]) == 0
        assert mine["service_level_seconds"] == float(theirs["ServiceLevel"])
    # SL/SL2 compared where both sides define them (Asterisk says 0.0 for 0/0; we say None)
    sales, theirs = ours(snapshot, "sales"), asterisk_params["sales"]
    assert sales["sl"] * 100 == pytest.approx(float(theirs["ServicelevelPerf"]), abs=0.1)
    assert sales["sl2"] * 100 == pytest.approx(float(theirs["ServicelevelPerf2"]), abs=0.1)
    counts = tuple(since_reset("sales", key) for key in ("offered", "answered", "abandoned"))
    assert counts == (2, 1, 1)
    assert sales["asa"] == pytest.approx(3.0, abs=0.5)
    assert sales["aht"] == pytest.approx(4.0, abs=0.5)
    assert since_reset("support", "offered") == 1
    assert {a["extension"]: a for a in snapshot["agents"]}["1002"]["handled"] == 1
