"""Many calls at once, and what a real feed does to them: interleaving, duplicates, late events,
events for channels nobody announced, random fields, AMI gaps closed by a Resync.

Strategies return a recipe (`TrackerCase`); `build` turns it into the event list with fresh ids
(a per-run tag), so one long-lived tracker can take case after case.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from hypothesis import strategies as st

from cti.state.events import AmiEvent, Resync
from tests.fuzz.call_flows import one_call
from tests.fuzz.world import World
from tests.state.interleave import interleave, relabel

Item = AmiEvent | Resync

# Event names the tracker handles (and a few it does not). No Newchannel but in `wild_calls`: a
# made-up one is a channel that never hangs up, and the bars are about channels that all did.
RANDOM_EVENT_NAMES = (
    "NewCallerid", "Hangup", "Rename", "VarSet", "DialBegin", "DialEnd", "DialState",
    "BridgeEnter", "BridgeLeave", "BridgeMerge", "QueueCallerJoin", "QueueCallerAbandon",
    "BlindTransfer", "AttendedTransfer", "Pickup", "Newstate", "Newexten", "Unknown",
)  # fmt: skip
_ID_KEYS = (
    "Uniqueid", "Linkedid", "DestUniqueid", "TransfererUniqueid", "TransfereeUniqueid",
    "OrigTransfererUniqueid", "SecondTransfererUniqueid", "TransferTargetUniqueid",
    "TargetUniqueid", "DestLinkedid",
)  # fmt: skip
_NAME_KEYS = ("Channel", "DestChannel", "Newname", "TransferTargetChannel", "TargetChannel")
_BRIDGE_KEYS = ("BridgeUniqueid", "FromBridgeUniqueid", "ToBridgeUniqueid")
_OTHER = {
    "ChannelState": ("0", "4", "5", "6", "", "x", "99"),
    "DestChannelState": ("5", "6"),
    "Timestamp": ("", "nan", "inf", "-inf", "1e308", "-1", "abc", "1700000000.5"),
    "DialStatus": ("ANSWER", "CANCEL", "BUSY", "NOANSWER", ""),
    "Result": ("Success", "Fail", ""),
    "Exten": ("", "s", "1002", "+420601000009", "*8"),
    "Forward": ("", "1003", "PJSIP/1004"),
    "Variable": ("MIXMONITOR_FILENAME", "CTI_ROUTE_REASON", "BRIDGEPEER"),
    "Value": ("", "/rec/x.wav", "vip"),
    "Queue": ("", "sales"),
    "Cause": ("16", "17", "", "x"),
    "CallerIDNum": ("<unknown>", "", "1001", "+420601000002"),
    "Extension": ("", "1005"),
    "DialString": ("", "1002", "PJSIP/0612345678@trunk"),
}
GHOST_IDS = ("ghost.1", "ghost.2", "0", "")


@dataclass(frozen=True)
class RandomEvent:
    """An event whose fields are drawn; ids point at the case's own channels, bridges, or ghosts."""

    name: str
    at: int  # inserted before this position (modulo the stream length)
    picks: tuple[tuple[str, int], ...]  # (header, index into the matching pool)


@dataclass(frozen=True)
class TrackerCase:
    calls: list[list[AmiEvent]]
    order: list[int]
    duplicates: list[tuple[int, int]] = field(default_factory=list)  # (event, later by)
    delays: list[tuple[int, int]] = field(default_factory=list)  # (event, later by)
    random_events: list[RandomEvent] = field(default_factory=list)
    gaps: list[tuple[int, int]] = field(default_factory=list)  # (start, length): lost, then Resync
    garbage_resync_at: int | None = None  # a Resync listing channels that do not exist

    @property
    def needs_closing(self) -> bool:
        """Made-up channels never hang up: only a Resync listing nothing (Asterisk empty) ends
        their calls, so the bars are checked after one."""
        wild = any(e.name == "Newchannel" for e in self.random_events)
        return wild or self.garbage_resync_at is not None


@st.composite
def interleaved_calls(draw: st.DrawFn, max_calls: int = 4) -> TrackerCase:
    calls = draw(st.lists(one_call(), min_size=1, max_size=max_calls))
    slots = [index for index, call in enumerate(calls) for _ in call]
    return TrackerCase(calls, draw(st.permutations(slots)))


_POSITIONS = st.integers(0, 10_000)


@st.composite
def disordered_calls(draw: st.DrawFn) -> TrackerCase:
    """Interleaved calls, some events repeated, some late, some made up."""
    base = draw(interleaved_calls())
    pairs = st.tuples(_POSITIONS, st.integers(0, 12))
    return TrackerCase(
        base.calls,
        base.order,
        duplicates=draw(st.lists(pairs, max_size=4)),
        delays=draw(st.lists(pairs, max_size=4)),
        random_events=draw(st.lists(random_events(), max_size=4)),
    )


@st.composite
def wild_calls(draw: st.DrawFn) -> TrackerCase:
    """Interleaved calls drowned in made-up events, Newchannels of channels that never end too."""
    base = draw(interleaved_calls(max_calls=2))
    names = st.sampled_from(("Newchannel", *RANDOM_EVENT_NAMES))
    made_up = draw(st.lists(random_events(names), min_size=1, max_size=20))
    return TrackerCase(base.calls, base.order, random_events=made_up)


@st.composite
def random_events(
    draw: st.DrawFn, names: st.SearchStrategy[str] = st.sampled_from(RANDOM_EVENT_NAMES)
) -> RandomEvent:
    keys = (*_ID_KEYS, *_NAME_KEYS, *_BRIDGE_KEYS, *_OTHER)
    chosen = draw(st.lists(st.sampled_from(keys), min_size=1, max_size=6, unique=True))
    picks = tuple((key, draw(st.integers(0, 63))) for key in chosen)
    return RandomEvent(draw(names), draw(_POSITIONS), picks)


@st.composite
def calls_with_gaps(draw: st.DrawFn) -> TrackerCase:
    """Interleaved calls where the AMI link dropped: a stretch of events is lost, then a Resync."""
    base = draw(interleaved_calls())
    gaps = draw(st.lists(st.tuples(_POSITIONS, st.integers(0, 15)), min_size=1, max_size=3))
    garbage = draw(st.none() | _POSITIONS)
    return TrackerCase(base.calls, base.order, gaps=gaps, garbage_resync_at=garbage)


def build(case: TrackerCase, tag: str) -> list[Item]:
    """The case's event list; every id and channel name carries `tag` (unique per run)."""
    streams = [relabel(call, f"{tag}.{n}") for n, call in enumerate(case.calls)]
    items: list[Item] = list(interleave(streams, case.order))
    events = [item for item in items if isinstance(item, AmiEvent)]
    for index, later in case.duplicates:
        _duplicate(items, index % len(items), later)
    for index, later in case.delays:
        _delay(items, index % len(items), later)
    for made_up in case.random_events:
        items.insert(made_up.at % (len(items) + 1), _render(made_up, events, tag))
    if case.gaps:
        items = _with_gaps(items, case.gaps)
    if case.garbage_resync_at is not None:
        items.insert(case.garbage_resync_at % (len(items) + 1), _garbage_resync(events, tag))
    return items


def _duplicate(items: list[Item], index: int, later: int) -> None:
    """A copy, later in the stream; a Newchannel's copy stays before that channel's Hangup."""
    event = items[index]
    position = min(len(items), index + 1 + later)
    if isinstance(event, AmiEvent) and event.name == "Newchannel":
        position = min(position, _hangup_index(items, event.get("Uniqueid"), index))
    items.insert(position, event)


def _delay(items: list[Item], index: int, later: int) -> None:
    """Moved later (never a Newchannel: events before it would be for a channel not yet there)."""
    event = items[index]
    if isinstance(event, AmiEvent) and event.name != "Newchannel":
        del items[index]
        items.insert(min(len(items), index + later), event)


def _hangup_index(items: list[Item], uid: str, start: int) -> int:
    for position in range(start, len(items)):
        item = items[position]
        if isinstance(item, AmiEvent) and item.name == "Hangup" and item.get("Uniqueid") == uid:
            return position
    return len(items)


def _render(made_up: RandomEvent, events: list[AmiEvent], tag: str) -> AmiEvent:
    uids = sorted({e.get("Uniqueid") for e in events}) + [f"{g}~{tag}" for g in GHOST_IDS]
    names = [*sorted({e.get("Channel") for e in events}), f"PJSIP/1009-ghost~{tag}", ""]
    bridges = sorted({e.get("BridgeUniqueid") for e in events if e.get("BridgeUniqueid")})
    bridges += [f"br-ghost~{tag}", ""]
    headers = {"Event": made_up.name}
    for key, pick in made_up.picks:
        pool = _OTHER.get(key) or (
            uids if key in _ID_KEYS else names if key in _NAME_KEYS else bridges
        )
        headers[key] = pool[pick % len(pool)]
    stamp = events[-1].received_at if events else 0.0
    return AmiEvent(made_up.name, headers, stamp)


def _with_gaps(items: list[Item], gaps: list[tuple[int, int]]) -> list[Item]:
    """Drop each gap's events; where the link comes back, a Resync of what is live then."""
    lost: set[int] = set()
    resync_before: set[int] = set()
    for start, length in gaps:
        begin = start % len(items)
        lost.update(range(begin, min(len(items), begin + length)))
        resync_before.add(min(len(items), begin + length))
    world = World()
    out: list[Item] = []
    for position, item in enumerate([*items, None]):
        if position in resync_before:
            out.append(world.resync(_time_of(items, position)))
        if item is None:
            break
        if isinstance(item, AmiEvent):
            world.apply(item)
        if position not in lost:
            out.append(item)
    return out


def _time_of(items: list[Item], position: int) -> float:
    before = [i.time for i in items[:position] if isinstance(i, AmiEvent)]
    return before[-1] if before else 0.0


def _garbage_resync(events: list[AmiEvent], tag: str) -> Resync:
    """Rows mixing real ids and ghosts, mismatched Linkedids and bridges."""
    uids = [*sorted({e.get("Uniqueid") for e in events})[:3], f"ghost.9~{tag}"]
    rows = tuple(
        AmiEvent("CoreShowChannel", {"Event": "CoreShowChannel", "Uniqueid": uid,
                 "Channel": f"PJSIP/100{n}-ghost~{tag}", "Linkedid": uids[0],
                 "ChannelState": "6", "BridgeId": f"br-ghost~{tag}", "Duration": "xx"}, 0.0)
        for n, uid in enumerate(uids)
    )  # fmt: skip
    return Resync(rows, (), events[-1].received_at if events else 0.0)
