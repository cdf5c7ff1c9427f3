"""The agent-state push: a change reported by Asterisk (from anywhere) reaches the agent's topic
once; nothing is sent while nothing changes; leaving the last queue is pushed too."""

from __future__ import annotations

from typing import Any

from cti.agents.registry import AgentRegistry
from cti.agents.state_push import AgentStatePush
from cti.agents.state_view import AgentStates
from cti.routing.settings import TelephonySettings
from cti.state.events import AmiEvent
from cti.state.tracker import AgentCalls


class Recorder:
    def __init__(self) -> None:
        self.sent: list[tuple[str, dict[str, Any]]] = []

    async def publish(self, topic: str, message: dict[str, Any], retain: object = ()) -> None:
        self.sent.append((topic, message))


class NoCalls:
    def agent_calls(self, agent: str) -> AgentCalls:
        return AgentCalls((), ())

    def agents_on_calls(self) -> set[str]:
        return set()


def event(name: str, **headers: str) -> AmiEvent:
    return AmiEvent(name, {"Queue": "support", "Interface": "PJSIP/1007", **headers}, 0.0)


async def test_changes_are_pushed_once_each() -> None:
    registry, bus = AgentRegistry(), Recorder()
    states = AgentStates(TelephonySettings(), registry, NoCalls(), lambda ext: 0.0)
    push = AgentStatePush(states, bus)  # type: ignore[arg-type]
    assert await push.tick() == 0
    registry.apply(event("QueueMemberAdded", Status="1"))
    assert await push.tick() == 1
    assert await push.tick() == 0
    registry.apply(event("QueueMemberPause", Paused="1", PausedReason="lunch"))
    await push.tick()
    registry.apply(event("QueueMemberRemoved"))
    await push.tick()
    assert [topic for topic, _ in bus.sent] == ["agent.1007"] * 3
    views = [
        (m["type"], [(q["queue"], q["pause_reason"]) for q in m["queues"]]) for _, m in bus.sent
    ]
    assert views == [
        ("agent_state", [("support", "")]),
        ("agent_state", [("support", "lunch")]),
        ("agent_state", []),
    ]


def test_extension_of_follows_the_interface_template() -> None:
    settings = TelephonySettings(agent_interface="SIP/{extension}@pbx")
    push = AgentStatePush(AgentStates(settings, AgentRegistry(), NoCalls()), Recorder())  # type: ignore[arg-type]
    assert push.extension_of("SIP/1002@pbx") == "1002"
    assert push.extension_of("PJSIP/1002") is None


class OneCall(NoCalls):
    def __init__(self) -> None:
        self.agents: set[str] = set()

    def agent_calls(self, agent: str) -> AgentCalls:
        return AgentCalls((), ("call-1",) if agent in self.agents else ())

    def agents_on_calls(self) -> set[str]:
        return set(self.agents)


async def test_an_agent_in_no_queue_is_pushed_when_a_call_starts_and_ends() -> None:
    calls, bus = OneCall(), Recorder()
    push = AgentStatePush(AgentStates(TelephonySettings(), AgentRegistry(), calls), bus)  # type: ignore[arg-type]
    calls.agents.add("1009")
    await push.tick()
    calls.agents.clear()
    await push.tick()
    assert [(topic, m["on_call"], m["queues"]) for topic, m in bus.sent] == [
        ("agent.1009", True, []),
        ("agent.1009", False, []),
    ]
