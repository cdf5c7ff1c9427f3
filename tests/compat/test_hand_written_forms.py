"""Flows not recorded on the sandbox (a phone's REFER with Replaces, a pickup, a SIP 302 told the
Asterisk 22 way) rewritten into each older form give the records of the Asterisk 22 form."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from cti.state.events import AmiEvent
from tests.compat.rewrite import PROFILES, Message, forward_on_dial_end
from tests.compat.streams import CONFIG
from tests.state.builder import Stream, block
from tests.state.flows_transfer import Flow, pickup_by_colleague, refer_attended_transfer
from tests.state.helpers import ended_records

FACTS = ("direction", "caller", "callee", "agents_rang", "answered_by", "disposition")


def phone_forwards() -> Flow:
    """A customer dials 1001; the phone answers 302 Moved to 1002, who answers (Asterisk 22:
    DialState with Forward)."""
    s = Stream()
    caller = s.new("PJSIP/trunk-00000001", number="+420601000001", exten="1001", state="4")
    first = s.new("PJSIP/1001-00000002", caller.linkedid)
    s.dial_begin(caller, first, "1001")
    s.state(first, "5")
    s.tick(2)
    s.emit("DialState", caller, **block(first, "Dest"), DialStatus="RINGING", Forward="1002")
    s.hangup(first)
    second = s.new("PJSIP/1002-00000003", caller.linkedid)
    s.dial_begin(caller, second, "1002")
    s.state(second, "5")
    s.tick(2)
    s.state(second, "6")
    s.dial_end(caller, second, "ANSWER")
    s.enter("br-1", caller, second)
    s.tick(4)
    s.leave("br-1", caller, second)
    s.hangup(second)
    s.hangup(caller)
    record = {"direction": "inbound", "answered_by": "1002", "disposition": "answered"}
    return s, [record]


def _messages(events: list[AmiEvent]) -> list[Message]:
    return [list(event.headers.items()) for event in events]


def _events(messages: list[Message]) -> list[AmiEvent]:
    return [AmiEvent.from_headers(dict(m), float(dict(m)["Timestamp"])) for m in messages]


def _facts(events: list[AmiEvent]) -> list[dict[str, object]]:
    records = [record.as_dict() for record in ended_records(events, CONFIG)]
    transfers = [[(t["kind"], t["from"], t["to"]) for t in r["transfers"]] for r in records]  # type: ignore[attr-defined]
    return [
        {k: r[k] for k in FACTS} | {"transfers": t} for r, t in zip(records, transfers, strict=True)
    ]


@pytest.mark.parametrize("profile", sorted(PROFILES))
@pytest.mark.parametrize("flow", [refer_attended_transfer, pickup_by_colleague, phone_forwards])
def test_older_form_gives_the_same_records(flow: Callable[[], Flow], profile: str) -> None:
    stream, _ = flow()
    messages = _messages(stream.events)
    for transform in PROFILES[profile].transforms:
        messages = transform(messages)
    assert _facts(_events(messages)) == _facts(stream.events)


def test_a_302_told_by_dial_end_is_a_forward_and_no_abandon() -> None:
    stream, _ = phone_forwards()
    older = _events(forward_on_dial_end(_messages(stream.events)))
    assert [e.name for e in older].count("DialState") == 0
    [record] = _facts(older)
    assert record["transfers"] == [("forward", "1001", "1002")]
    assert record["disposition"] == "answered"
