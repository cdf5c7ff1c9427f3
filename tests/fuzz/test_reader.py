"""Fuzzing the AMI reader (wire.py framing, protocol.py dispatch, the Intake behind it)."""

from __future__ import annotations

from hypothesis import given

from cti.ami.protocol import to_message
from cti.ami.wire import to_fields
from cti.state.events import AmiEvent
from tests.fuzz import reader_checks
from tests.fuzz.ami_bytes import WireCase, byte_soup, overlong_streams, valid_streams
from tests.fuzz.profiles import ci_settings
from tests.fuzz.reader_harness import ReadPath, frame

LIMIT = 256
PATH = ReadPath()  # one connection for the whole module, as in production


@ci_settings(300)
@given(byte_soup() | valid_streams())
def test_no_input_makes_the_read_path_raise(case: WireCase) -> None:
    reader_checks.survives(PATH, case)
    assert PATH.buffered_chars() <= 64 * 1024 + 3


@ci_settings(300)
@given(byte_soup() | valid_streams())
def test_how_reads_cut_the_bytes_never_changes_the_messages(case: WireCase) -> None:
    assert reader_checks.split_invariance(case) == []


@ci_settings(300)
@given(byte_soup() | valid_streams())
def test_the_fast_path_reads_what_the_tolerant_path_reads(case: WireCase) -> None:
    assert reader_checks.fast_matches_tolerant(case) == []


@ci_settings(200)
@given(valid_streams())
def test_valid_messages_come_out_as_sent(case: WireCase) -> None:
    assert reader_checks.round_trip(case) == []


@ci_settings(150)
@given(overlong_streams(LIMIT))
def test_overlong_messages_are_dropped_and_the_rest_survive(case: WireCase) -> None:
    assert reader_checks.overlong_dropped(case, LIMIT) == []


# -- regressions found by the fuzzer -------------------------------------------------------------


def test_repeated_event_or_actionid_header_does_not_crash_the_reader() -> None:
    """Found by fuzzing: panoramisk lowercases Event and hashes ActionID; a repeat made a list."""
    path = ReadPath()
    data = b"Event: VarSet\r\nEvent: Hangup\r\nActionID: a\r\nActionID: b\r\nX: 1\r\n\r\n"
    events = [item for item in path.feed([data]) if isinstance(item, AmiEvent)]
    assert events[0].name == "VarSet"  # then the harness's own end of a resync listing
    assert events[0].get("ActionID") == "a"
    fields = to_fields([("Event", "VarSet"), ("event", "Hangup"), ("ChanVariable", "A=1"),
                        ("chanvariable", "B=2")])  # fmt: skip
    assert fields == {"Event": "VarSet", "ChanVariable": "A=1\nB=2"}
    message = to_message(fields)
    assert message is not None
    assert message["event"] == "VarSet"


def test_message_just_under_the_limit_survives_a_read_ending_inside_its_separator() -> None:
    """Found by fuzzing: a read ending in `\\r\\n\\r` pushed a message at the limit over it."""
    message = b"Event: " + b"x" * (LIMIT - 7)  # exactly LIMIT chars
    data = message + b"\r\n\r\n"
    for cut in range(len(message), len(data)):
        assert frame([data[:cut], data[cut:]], LIMIT) == [{"Event": "x" * (LIMIT - 7)}]
