"""A reader told which channel variables the bridge reads drops every other VarSet unparsed,
counted, and nothing else: a PBX without the shipped event filter sends one VarSet per variable
the dialplan touches."""

from __future__ import annotations

import pytest

from cti.ami.protocol import CtiAmiProtocol
from cti.ami.wire import MessageFramer
from cti.state.channels import VARIABLES_READ
from tests.ami.test_protocol import BANNER, JOSE, feed


def varset(variable: str, value: str = "x") -> bytes:
    return (
        f"Event: VarSet\r\nChannel: PJSIP/1001-00000001\r\nVariable: {variable}\r\n"
        f"Value: {value}\r\nUniqueid: 1.1\r\nLinkedid: 1.1\r\n\r\n"
    ).encode()


KEPT = varset("MIXMONITOR_FILENAME", "/var/spool/asterisk/monitor/a.wav")
DROPPED = varset("BRIDGEPEER", "PJSIP/trunk-00000000")


def test_other_variables_are_dropped_and_counted() -> None:
    protocol = CtiAmiProtocol(variables=VARIABLES_READ)
    events = feed(protocol, [BANNER + DROPPED + KEPT + DROPPED + JOSE])
    assert [(e["Event"], e.get("Variable")) for e in events] == [
        ("VarSet", "MIXMONITOR_FILENAME"),
        ("Newchannel", None),
    ]
    assert protocol.counters.get("ami_varsets_skipped") == 2


def test_without_a_list_every_varset_is_read() -> None:
    events = feed(CtiAmiProtocol(), [BANNER + DROPPED + KEPT])
    assert [e["Variable"] for e in events] == ["BRIDGEPEER", "MIXMONITOR_FILENAME"]


def test_a_varset_split_across_reads_is_judged_whole() -> None:
    stream = BANNER + DROPPED + KEPT
    chunks = [stream[i : i + 7] for i in range(0, len(stream), 7)]
    events = feed(CtiAmiProtocol(variables=VARIABLES_READ), chunks)
    assert [e["Variable"] for e in events] == ["MIXMONITOR_FILENAME"]


@pytest.mark.parametrize(
    "block",
    [
        b"Event: VarSet\r\nChannel: PJSIP/1001-00000001\r\nValue: 1\r\n\r\n",  # no Variable
        b"Event: VarSet\nVariable: BRIDGEPEER\nValue: 1\n\n",  # LF only: the tolerant path
        b"Event: VarSetExtra\r\nVariable: BRIDGEPEER\r\n\r\n",  # another event's name
    ],
)
def test_an_odd_varset_is_kept_for_the_usual_path(block: bytes) -> None:
    framer = MessageFramer(variables=VARIABLES_READ)
    assert len(framer.feed(block)) == 1
    assert framer.skipped_varsets == 0


def test_an_oversized_message_is_still_discarded_whole() -> None:
    framer = MessageFramer(max_message_chars=1024, variables=VARIABLES_READ)
    huge = b"Event: Newchannel\r\nCallerIDName: " + b"x" * 4096
    out = framer.feed(huge) + framer.feed(b"\r\n\r\n" + DROPPED + JOSE)
    assert [m["Event"] for m in out] == ["Newchannel"]
    assert out[0]["CallerIDName"] == "José"
    assert framer.oversized_messages == 1
