"""The fixed reader, fed the way TCP delivers: arbitrary chunks through data_received."""

from __future__ import annotations

from typing import Any

import pytest
from panoramisk.ami_protocol import AMIProtocol

from cti.ami.protocol import CtiAmiProtocol

BANNER = b"Asterisk Call Manager/9.0.0\r\n"


class FakeTransport:
    def __init__(self) -> None:
        self.written: list[bytes] = []

    def write(self, data: bytes) -> None:
        self.written.append(data)

    def close(self) -> None:
        pass


class Dispatcher:
    """Stands in for panoramisk's Manager: collects dispatched events."""

    def __init__(self) -> None:
        self.events: list[Any] = []

    def dispatch(self, message: Any) -> None:
        self.events.append(message)


def feed(protocol: AMIProtocol, chunks: list[bytes]) -> list[dict[str, Any]]:
    dispatcher = Dispatcher()
    protocol.connection_made(FakeTransport())
    protocol.factory = dispatcher
    for chunk in chunks:
        protocol.data_received(chunk)
    # panoramisk's Message carries a `content` pseudo-header (command output); not a header here.
    return [
        {key: value for key, value in message.items() if key != "content"}
        for message in dispatcher.events
    ]


def split_inside(data: bytes, needle: bytes) -> list[bytes]:
    """Two chunks, cut between the bytes of `needle`'s first multi-byte character."""
    cut = data.index(needle) + 1
    return [data[:cut], data[cut:]]


JOSE = "Event: Newchannel\r\nCallerIDName: José\r\nUniqueid: 1.1\r\n\r\n".encode()
EMPTY_LAST = b"Event: Hangup\r\nUniqueid: 1.2\r\nCause-txt: \r\n\r\n"


def test_split_utf8_character_is_kept() -> None:
    chunks = split_inside(BANNER + JOSE, "é".encode())
    assert feed(CtiAmiProtocol(), chunks)[0]["CallerIDName"] == "José"


def test_panoramisk_alone_loses_the_split_character() -> None:
    """Documents the upstream bug the fix exists for; if this starts failing, upstream fixed it."""
    chunks = split_inside(BANNER + JOSE, "é".encode())
    assert feed(AMIProtocol(), chunks)[0]["CallerIDName"] == "Jos"


def test_empty_value_at_end_of_message_is_kept() -> None:
    events = feed(CtiAmiProtocol(), [BANNER, EMPTY_LAST[:20], EMPTY_LAST[20:]])
    assert events == [{"Event": "Hangup", "Uniqueid": "1.2", "Cause-txt": ""}]


def test_panoramisk_alone_drops_the_trailing_empty_header() -> None:
    assert "Cause-txt" not in feed(AMIProtocol(), [BANNER + EMPTY_LAST])[0]


def test_byte_by_byte_delivery_gives_the_same_events() -> None:
    stream = BANNER + JOSE + EMPTY_LAST
    whole = feed(CtiAmiProtocol(), [stream])
    assert feed(CtiAmiProtocol(), [bytes([b]) for b in stream]) == whole
    assert len(whole) == 2


def test_extra_blank_line_before_an_event_is_tolerated() -> None:
    stream = BANNER + b"\r\n\r\nEvent: TestEvent\r\nType: Normal\r\n\r\n" + JOSE
    names = [e["Event"] for e in feed(CtiAmiProtocol(), [stream])]
    assert names == ["TestEvent", "Newchannel"]


def test_garbled_lines_are_skipped_and_counted() -> None:
    protocol = CtiAmiProtocol()
    stream = BANNER + b"Event: Newexten\r\nthis line has no colon\r\nExten: 100\r\n\r\n"
    assert feed(protocol, [stream]) == [{"Event": "Newexten", "Exten": "100"}]
    assert protocol.counters.get("ami_garbled_lines") == 1


def test_invalid_utf8_is_replaced_not_fatal() -> None:
    stream = BANNER + b"Event: Newchannel\r\nCallerIDName: Jos\xe9 \xff\r\n\r\n" + JOSE
    events = feed(CtiAmiProtocol(), [stream])
    assert events[0]["CallerIDName"] == "Jos\ufffd \ufffd"
    assert events[1]["CallerIDName"] == "José"


@pytest.mark.parametrize("chunk_size", [1 << 20, 4096])
def test_one_megabyte_header_is_dropped_and_reading_goes_on(chunk_size: int) -> None:
    protocol = CtiAmiProtocol(max_message_chars=64 * 1024)
    huge = b"Event: VarSet\r\nValue: " + b"x" * (1 << 20) + b"\r\n\r\n"
    stream = BANNER + huge + JOSE
    chunks = [stream[i : i + chunk_size] for i in range(0, len(stream), chunk_size)]
    events = feed(protocol, chunks)
    assert [e["Event"] for e in events] == ["Newchannel"]
    assert protocol.counters.get("ami_oversized_messages") == 1
    assert len(protocol.framer._buffer) < 64 * 1024


def test_unknown_event_types_pass_through() -> None:
    stream = BANNER + b"Event: SomethingFromAsterisk99\r\nFoo: bar\r\n\r\n"
    assert feed(CtiAmiProtocol(), [stream]) == [{"Event": "SomethingFromAsterisk99", "Foo": "bar"}]


def test_banner_sets_the_protocol_version() -> None:
    protocol = CtiAmiProtocol()
    feed(protocol, [BANNER + JOSE])
    assert protocol.version == "9.0.0"


class Reader:
    """What AmiClient hands the protocol: plain events as dicts, action answers as Messages."""

    def __init__(self) -> None:
        self.events: list[dict[str, str]] = []
        self.answers: list[Any] = []
        self.protocol = CtiAmiProtocol(on_message=self.answers.append, on_event=self.events.append)
        self.dispatcher = Dispatcher()
        self.protocol.connection_made(FakeTransport())
        self.protocol.factory = self.dispatcher


def test_plain_events_reach_the_reader_as_parsed_dicts_without_panoramisk() -> None:
    reader = Reader()
    reader.protocol.data_received(BANNER + JOSE + EMPTY_LAST)
    assert reader.events == [
        {"Event": "Newchannel", "CallerIDName": "José", "Uniqueid": "1.1"},
        {"Event": "Hangup", "Uniqueid": "1.2", "Cause-txt": ""},
    ]
    assert reader.dispatcher.events == []  # no Message built, nothing dispatched
    assert reader.answers == []


async def test_an_action_answer_goes_to_panoramisk_and_resolves_the_action() -> None:
    # panoramisk makes the action's future on the current loop: a running one here
    reader = Reader()
    future = reader.protocol.send({"Action": "Ping", "ActionID": "p-1"})
    pong = b"Response: Success\r\nActionID: p-1\r\nPing: Pong\r\n\r\n"
    reader.protocol.data_received(BANNER + pong)
    assert future.done()
    assert future.result()["Ping"] == "Pong"
    assert [answer["ActionID"] for answer in reader.answers] == ["p-1"]
    assert reader.events == []


def test_shutdown_drops_the_connection_and_still_reaches_the_reader() -> None:
    reader = Reader()
    lost: list[object] = []
    reader.protocol.connection_lost = lost.append
    reader.protocol.data_received(BANNER + b"Event: Shutdown\r\nShutdown: Cleanly\r\n\r\n")
    assert len(lost) == 1
    assert reader.events == [{"Event": "Shutdown", "Shutdown": "Cleanly"}]
