"""The live watch on recorded real AMI streams (tests/scenarios/): a queue call answered by an
agent is one conversation, the agent's channel and the caller's; it ends with the agent's
channel's hangup; a resync without the channel ends it too; a call nobody answered is none."""

from __future__ import annotations

from cti.live.watch import HungUp, LiveWatch, Talking
from cti.state.events import Resync
from tests.state.scenarios import load


def test_an_answered_queue_call_is_one_conversation_until_the_agent_hangs_up() -> None:
    scenario = load("queue_answered_first_agent")
    watch = LiveWatch(scenario.agents_regex)
    notes = [note for event in scenario.events for note in watch.apply(event)]
    talking = [n for n in notes if isinstance(n, Talking)]
    assert len(talking) == 1
    (call,) = talking
    assert call.extension == "1004"
    assert call.agent_channel.startswith("PJSIP/1004-")
    assert call.caller_channel.startswith("PJSIP/trunk-")
    assert call.linkedid == scenario.expected[0]["linkedid"]
    assert call.caller_uniqueid
    assert [n for n in notes if isinstance(n, HungUp)] == [HungUp(call.agent_uniqueid)]
    assert not watch.talking


def test_a_resync_without_the_agents_channel_ends_the_conversation() -> None:
    scenario = load("queue_answered_first_agent")
    watch = LiveWatch(scenario.agents_regex)
    notes = []
    for event in scenario.events:
        notes.extend(watch.apply(event))
        if watch.talking:
            break
    (uid,) = watch.talking
    assert watch.apply(Resync(channels=(), queue_entries=(), received_at=0.0)) == [HungUp(uid)]


def test_an_abandoned_call_is_no_conversation() -> None:
    scenario = load("queue_abandoned")
    watch = LiveWatch(scenario.agents_regex)
    assert not [n for event in scenario.events for n in watch.apply(event)]
