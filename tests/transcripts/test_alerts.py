"""Keyword alerts reach every supervisor's /ws/supervisor (a real server), each one once and in
order even in a burst that coalesces snapshots, in the form docs/asyncapi.yaml describes."""

from __future__ import annotations

from crm_core.models.enums import Direction
from crm_core.services.dto import CallOut
from crm_core.services.dto.transcripts import FlagOut, Speaker
from cti.bus.base import SUPERVISOR_ALERTS_TOPIC, SUPERVISOR_TOPIC
from cti.transcripts.alerts import keyword_alert
from tests.contract.test_asyncapi import check
from tests.crm_core.conftest import minutes_ago
from tests.fixtures.db import LoginAs
from tests.stats.test_supervisor_ws import Served, receive, served, signed_in


def _call(call_id: int) -> CallOut:
    return CallOut(
        id=call_id, linkedid=f"a.{call_id}", direction=Direction.INBOUND, caller="+421900123456",
        callee="100", external_e164="+421900123456", contact_id=None, company_id=None,
        agent_id=None, queue="sales", agents_rang=["1001"], answered_by="1001",
        started_at=minutes_ago(3), answered_at=None, ended_at=minutes_ago(1), wait_seconds=0,
        talk_seconds=60, disposition=None, recording="x.wav", routing_reason="", transfers=[],
    )  # fmt: skip


FLAG = FlagOut(keyword="lawyer", speaker=Speaker.CALLER, start_ms=1200, text="my lawyer")


async def test_each_alert_reaches_the_supervisor_once_in_order(
    served: Served, login_as: LoginAs
) -> None:
    boss = await login_as("supervisor")
    async with signed_in(served.url, boss.token) as websocket:
        assert (await receive(websocket))["type"] == "hello"
        assert (await receive(websocket))["type"] == "snapshot"
        for call_id in (1, 2, 3):
            await served.bus.publish(SUPERVISOR_TOPIC, {"type": "snapshot", "at": 1.0,
                                                        "queues": [], "agents": []})  # fmt: skip
            await served.bus.publish(SUPERVISOR_ALERTS_TOPIC, keyword_alert(_call(call_id), [FLAG]))
        frames = [await receive(websocket) for _ in range(4)]
    alerts = [frame for frame in frames if frame["type"] == "keyword_alert"]
    assert [alert["call_id"] for alert in alerts] == [1, 2, 3]
    assert alerts[0]["keywords"] == ["lawyer"]
    assert alerts[0]["flags"][0]["text"] == "my lawyer"
    assert check("supervisor", frames) <= {"snapshot", "keyword_alert"}


__all__ = ["served"]
