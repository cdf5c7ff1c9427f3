"""Strategies for what arrives on the AMI socket: messages, junk, and how TCP cuts them up."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from hypothesis import strategies as st

Headers = list[tuple[str, str]]

KNOWN_KEYS = (
    "Event", "Response", "ActionID", "Message", "Channel", "Uniqueid", "Linkedid", "CallerIDName",
    "CallerIDNum", "Exten", "Cause-txt", "Variable", "Value", "ChanVariable", "Output",
    "EventList", "SubEvent", "CommandID", "Privilege", "Timestamp",
)  # fmt: skip
EVENT_NAMES = (
    "Newchannel", "Hangup", "VarSet", "DialBegin", "BridgeEnter", "TestEvent", "FullyBooted",
    "CoreShowChannel", "CoreShowChannelsComplete", "QueueEntry", "Shutdown", "SomethingNew42",
)  # fmt: skip
# Header names: no colon, no line break, no outer blanks (else a junk line, not a header).
_KEY_ALPHABET = st.characters(blacklist_characters=":\r\n", blacklist_categories=["Cs"])
_ANY_KEY = st.text(_KEY_ALPHABET, min_size=1, max_size=12).filter(lambda k: k.strip() == k != "")
RANDOM_KEYS = (
    st.sampled_from(("X-Custom", "Ünïcode", "a b", "event", "EVENT", "actionid")) | _ANY_KEY
)
# Values: any text without line breaks (Asterisk never sends one inside a value); mostly drawn
# from a pool of awkward ones (one draw each), which keeps generation fast enough for the bench.
_ANY_TEXT = st.text(
    st.characters(blacklist_characters="\r\n", blacklist_categories=["Cs"]), max_size=24
)
_AWKWARD_VALUES = (
    "", " ", "  leading", "trailing ", "José", "Müller-Lüdenscheidt", "李小龙", "😀📞", "a: b",
    "::", "\t", "\x00", "\ufeffbom", "\u2028sep", "x" * 200, "1700000000.123456", "nan", "inf",
    "-1e308", "Success", "Error", "Follows", "start", "Complete", "Start", "End",
    "Originate successfully queued", "Added interface to queue", "Events will follow",
    "PJSIP/1001-00000001", "Local/100@agents-00000001;1", "<unknown>", "%20quoted%3D",
)  # fmt: skip
VALUES = st.sampled_from(_AWKWARD_VALUES) | _ANY_TEXT
# Pieces that make byte soup look like AMI often enough to reach the interesting paths.
_FRAGMENTS = (
    b"\r\n", b"\n", b"\r\n\r\n", b": ", b":", b"Event", b"Response", b"ActionID", b"Asterisk",
    b"Asterisk Call Manager/9.0\r\n", b"Event: Shutdown", b"Response: Follows", b"\xc3", b"\xa9",
    b"\xe9", b"\xff", b"\xf0\x9f\x98", b"\x00", b" ", b"Jos\xc3\xa9",
)  # fmt: skip


# ActionIDs the read path has outstanding (tests/fuzz/reader_harness.py): replies to them reach
# panoramisk's action bookkeeping and the resync gate, not only the event dispatch.
CHANNELS_ACTION_ID, QUEUE_ACTION_ID = "resync-channels", "resync-queue"
PENDING_ACTION_IDS = ("ping-1", "ping-2")
_ACTION_IDS = st.sampled_from((CHANNELS_ACTION_ID, QUEUE_ACTION_ID, *PENDING_ACTION_IDS))


@st.composite
def header_lines(draw: st.DrawFn) -> tuple[str, str]:
    key = draw(st.sampled_from(KNOWN_KEYS) | RANDOM_KEYS)
    if key == "Event":
        return key, draw(st.sampled_from(EVENT_NAMES))
    value = draw(_ACTION_IDS | VALUES) if key in ("ActionID", "CommandID") else draw(VALUES)
    return key, value


@st.composite
def valid_messages(draw: st.DrawFn) -> Headers:
    """A message as Asterisk shapes it: usually an Event or Response first, then any headers."""
    first = draw(
        st.tuples(st.just("Event"), st.sampled_from(EVENT_NAMES))
        | st.tuples(st.just("Response"), st.sampled_from(("Success", "Error", "Follows")))
        | header_lines()
    )
    return [first, *draw(st.lists(header_lines(), max_size=8))]


def render(message: Headers, eol: str = "\r\n") -> str:
    # A value with leading spaces keeps them only after the one space AMI puts after the colon.
    return "".join(f"{key}: {value}{eol}" for key, value in message) + eol


def expected_headers(message: Headers) -> Headers:
    """What the reader must give back: keys stripped, values exactly as sent."""
    return [(key.strip(), value) for key, value in message]


@dataclass(frozen=True)
class WireCase:
    messages: list[Headers]  # what must come out, in order
    data: bytes  # what went over the wire
    cuts: list[int]  # read boundaries (sorted offsets into data)

    def chunks(self) -> list[bytes]:
        edges = [0, *self.cuts, len(self.data)]
        return [self.data[a:b] for a, b in itertools.pairwise(edges)]


@st.composite
def cut_points(draw: st.DrawFn, size: int) -> list[int]:
    """Read boundaries anywhere, UTF-8 characters and CRLF pairs included; sometimes every byte."""
    if size > 1 and draw(st.integers(0, 15)) == 0:
        return list(range(1, size))
    offsets = st.integers(1, max(1, size - 1))
    return sorted(set(draw(st.lists(offsets, max_size=12)))) if size > 1 else []


@st.composite
def valid_streams(draw: st.DrawFn) -> WireCase:
    """Valid messages, with a banner, blank-line runs (empty messages), CRLF or LF line ends."""
    messages = draw(st.lists(valid_messages(), min_size=1, max_size=6))
    eol = draw(st.sampled_from(("\r\n", "\n")))
    parts = [f"Asterisk Call Manager/9.0.0{eol}"] if draw(st.booleans()) else []
    for message in messages:
        parts.append(eol * draw(st.integers(0, 3)))  # empty messages between real ones
        parts.append(render(message, eol))
    data = "".join(parts).encode()
    return WireCase([expected_headers(m) for m in messages], data, draw(cut_points(len(data))))


@st.composite
def byte_soup(draw: st.DrawFn) -> WireCase:
    """Anything at all: random bytes mixed with AMI-looking fragments and broken UTF-8."""
    pieces = st.binary(max_size=16) | st.sampled_from(_FRAGMENTS)
    data = b"".join(draw(st.lists(pieces, max_size=24)))
    return WireCase([], data, draw(cut_points(len(data))))


@st.composite
def overlong_streams(draw: st.DrawFn, limit: int) -> WireCase:
    """Normal messages mixed with messages over `limit` chars; only the normal ones come out."""
    parts: list[str] = []
    expected: list[Headers] = []
    for _ in range(draw(st.integers(1, 5))):
        kind = draw(st.sampled_from(("over", "at the limit", "normal")))
        if kind == "at the limit":  # a block of limit-3 .. limit chars: kept, however cut
            value = "y" * (limit - len("Event: VarSet\r\nValue: ") - draw(st.integers(0, 3)))
            message = [("Event", "VarSet"), ("Value", value)]
            parts.append(render(message))
            expected.append(message)
        elif kind == "over":
            size = draw(st.integers(limit + 1, limit * 4))
            filler = draw(st.sampled_from(("x", "é", "😀", "a b")))
            parts.append(render([("Event", "VarSet"), ("Value", (filler * size)[:size])]))
        else:
            message = draw(valid_messages().filter(lambda m: len(render(m)) - 4 <= limit))
            parts.append(render(message))
            expected.append(expected_headers(message))
    data = "".join(parts).encode()
    return WireCase(expected, data, draw(cut_points(len(data))))
