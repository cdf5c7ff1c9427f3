"""The agent registry follows Asterisk's queue member events and QueueStatus listings."""

from __future__ import annotations

from cti.agents.registry import AgentRegistry, Member
from cti.state.events import AmiEvent


def event(name: str, **headers: str) -> AmiEvent:
    return AmiEvent(name, {"Queue": "support", "Interface": "PJSIP/1007", **headers}, 0.0)


def test_added_paused_resumed_removed() -> None:
    agents = AgentRegistry()
    assert agents.apply(event("QueueMemberAdded", MemberName="Gina", Status="1"))
    assert agents.of_interface("pjsip/1007") == [
        Member("support", "PJSIP/1007", "Gina", status="1")
    ]
    agents.apply(event("QueueMemberPause", Paused="1", PausedReason="lunch"))
    assert (agents.of_interface("PJSIP/1007")[0].pause_reason) == "lunch"
    agents.apply(event("QueueMemberPause", Paused="0", PausedReason="lunch"))
    assert not agents.of_interface("PJSIP/1007")[0].paused
    assert agents.of_interface("PJSIP/1007")[0].pause_reason == ""
    agents.apply(event("QueueMemberRemoved"))
    assert agents.of_interface("PJSIP/1007") == []


def test_queue_status_listing_replaces_everything() -> None:
    agents = AgentRegistry()
    agents.apply(event("QueueMemberAdded"))
    listed = {"Queue": "sales", "Location": "PJSIP/1001", "Name": "Alice", "Status": "5"}
    agents.replace([Member.from_headers(listed | {"Membership": "static"})])
    assert [m.queue for m in agents.members()] == ["sales"]
    assert not agents.members()[0].reachable


def test_other_events_are_ignored() -> None:
    agents = AgentRegistry()
    assert not agents.apply(AmiEvent("Newchannel", {"Channel": "PJSIP/1001-1"}, 0.0))
    assert agents.version == 0


def test_a_local_channel_member_belongs_to_its_state_interface() -> None:
    agents = AgentRegistry()
    local = {"Interface": "Local/1007@agents/n", "StateInterface": "PJSIP/1007"}
    agents.apply(event("QueueMemberAdded", **local))
    agents.apply(event("QueueMemberAdded", Queue="sales"))
    assert [(m.queue, m.interface) for m in agents.of_interface("PJSIP/1007")] == [
        ("sales", "PJSIP/1007"),
        ("support", "Local/1007@agents/n"),
    ]
    assert agents.of_interface("PJSIP/1001") == []
