"""Synthetic AMI traffic made of the recorded scenarios (tests/scenarios/*.ami).

Each copy of a scenario becomes an independent call: its Uniqueids/Linkedids, channel names and
bridge ids get a per-copy suffix and its Timestamps are shifted, so thousands of copies can run
at once. Copies start `gap` seconds apart (virtual time) and their events are merged by virtual
time, so many calls interleave on the wire while each call keeps its own event order.

Text is rewritten from templates cut once per scenario (literal text + identifier slots), so a
stream of a few hundred thousand events is built in about a second.
"""

from __future__ import annotations

import heapq
import json
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = ROOT / "tests" / "scenarios"
SEP = "\r\n\r\n"

_TOKEN = re.compile(
    r"(?P<ts>(?<=Timestamp: )\d+\.\d+)"
    r"|(?P<uuid>\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b)"
    r"|(?P<chan>\b(?:PJSIP|Local|SIP|IAX2)/[^\s;,/]+?-[0-9a-f]{8}\b)"
    r"|(?P<uid>\b\d{9,10}\.\d{1,6}\b)"
)
_ID_KEY = re.compile(r"(Uniqueid|Linkedid)$")

Slot = tuple[str, str]  # (kind, original text)


@dataclass(frozen=True, slots=True)
class Template:
    """Literal pieces around identifier slots: lit[0] slot[0] lit[1] ... slot[n-1] lit[n]."""

    literals: tuple[str, ...]
    slots: tuple[Slot, ...]

    def render(self, rewrite: Callable[[Slot], str]) -> str:
        if not self.slots:
            return self.literals[0]
        out = [self.literals[0]]
        for slot, literal in zip(self.slots, self.literals[1:], strict=True):
            out.append(rewrite(slot))
            out.append(literal)
        return "".join(out)


def _token_pattern(numbers: Sequence[str]) -> re.Pattern[str]:
    """Identifiers, plus the scenario's external party numbers (callers vary per copy)."""
    if not numbers:
        return _TOKEN
    alternatives = "|".join(re.escape(n) for n in sorted(numbers, key=len, reverse=True))
    return re.compile(f"{_TOKEN.pattern}|(?P<num>(?<![0-9+])(?:{alternatives})(?![0-9]))")


def _template(text: str, uids: frozenset[str], pattern: re.Pattern[str] = _TOKEN) -> Template:
    literals: list[str] = []
    slots: list[Slot] = []
    last = 0
    for match in pattern.finditer(text):
        kind = match.lastgroup or ""
        if kind == "uid" and match.group() not in uids:
            continue  # a number that is no channel id
        literals.append(text[last : match.start()])
        slots.append((kind, match.group()))
        last = match.end()
    literals.append(text[last:])
    return Template(tuple(literals), tuple(slots))


@dataclass(frozen=True, slots=True)
class Message:
    rel: float  # seconds since the scenario's first event
    name: str
    text: Template  # the raw block, without its terminating blank line
    headers: tuple[tuple[str, Template], ...]


@dataclass(frozen=True)
class Scenario:
    name: str
    agents_regex: str
    messages: tuple[Message, ...]
    linkedids: tuple[str, ...]  # of the expected business calls

    @property
    def duration(self) -> float:
        return self.messages[-1].rel if self.messages else 0.0


def _headers(block: str) -> list[tuple[str, str]]:
    headers = []
    for line in block.split("\r\n"):
        key, colon, value = line.partition(":")
        if colon and key.strip():
            headers.append((key.strip(), value[1:] if value.startswith(" ") else value))
    return headers


def load_scenario(path: Path) -> Scenario:
    raw = path.read_bytes().decode()
    meta = json.loads(path.with_suffix(".json").read_text())
    blocks = [b for b in raw.split(SEP) if b.strip()]
    parsed = [(block, _headers(block)) for block in blocks]
    uids = frozenset(
        value for _, hs in parsed for key, value in hs if _ID_KEY.search(key) and value
    )
    external = {"inbound": "caller", "outbound": "callee"}
    numbers = {
        str(call[external[call["direction"]]])
        for call in meta["expected"]
        if call["direction"] in external
    }
    pattern = _token_pattern([n for n in numbers if len(n) >= 8])
    messages: list[Message] = []
    start: float | None = None
    rel = 0.0
    for block, headers in parsed:
        fields = dict(headers)
        name = fields.get("Event", "")
        if not name or name == "FullyBooted":
            continue  # the Login response and boot notice belong to the session, not the call
        if "Timestamp" in fields:
            stamp = float(fields["Timestamp"])
            start = stamp if start is None else start
            rel = stamp - start
        templated = tuple(
            (key, _stamp_template(value) if key == "Timestamp" else _template(value, uids, pattern))
            for key, value in headers
        )
        messages.append(Message(rel, name, _template(block, uids, pattern), templated))
    linkedids = tuple(str(call["linkedid"]) for call in meta["expected"])
    return Scenario(path.stem, str(meta["agents_regex"]), tuple(messages), linkedids)


def _stamp_template(value: str) -> Template:
    return Template(("", ""), (("ts", value),))


def load_scenarios(directory: Path = SCENARIOS) -> list[Scenario]:
    """Every recorded scenario with its expectations (one being recorded has none yet)."""
    paths = sorted(directory.glob("*.ami"))
    return [load_scenario(path) for path in paths if path.with_suffix(".json").exists()]


CALLERS = 1_000
"""Copy n talks to external party n % CALLERS: most calls of a run come from a new number (its
first call leaves a lead card), longer runs see callers again (their card pops)."""


class Rewriter:
    """The identifiers of copy `index`: unique across copies, same shape as Asterisk's."""

    __slots__ = ("_cache", "index", "party", "shift")

    def __init__(self, index: int, shift: float, party: int | None = None) -> None:
        self.index = index
        self.shift = shift
        self.party = index % CALLERS if party is None else party
        self._cache: dict[Slot, str] = {}

    def __call__(self, slot: Slot) -> str:
        done = self._cache.get(slot)
        if done is None:
            done = self._cache[slot] = self._rewrite(*slot)
        return done

    def _rewrite(self, kind: str, value: str) -> str:
        if kind == "ts":
            return f"{float(value) + self.shift:.6f}"
        if kind == "uid":
            epoch, _, seq = value.partition(".")
            if int(seq) >= 1000:
                raise ValueError(f"uniqueid {value} has a sequence over 999")
            return f"{epoch}.{self.index * 1000 + int(seq)}"
        if kind == "uuid":
            return f"{value[:24]}{self.index:012x}"
        if kind == "num":  # same operator prefix, another subscriber
            return f"{value[:-6]}{self.party:06d}"
        # a channel: Tech/resource-XXXXXXXX -> Tech/resource-<copy hex>XXXXXXXX
        base, hexpart = value[:-8], value[-8:]
        return f"{base}{self.index:x}{hexpart}"


@dataclass
class Stream:
    """Raw AMI text (messages each ended by a blank line) and what it must produce."""

    data: bytes
    events: int
    calls: list[str]  # rewritten linkedids of every expected business call
    copies: int
    virtual_seconds: float
    concurrency: float  # mean calls in progress at once over the whole stream (virtual time)
    plateau: float  # calls in progress once the ramp-up is over
    by_scenario: dict[str, int] = field(default_factory=dict)

    def write(self, path: Path) -> Path:
        path.write_bytes(self.data)
        return path


def _copy_events(scenario: Scenario, rw: Rewriter, start: float) -> Iterator[tuple[float, str]]:
    for message in scenario.messages:
        yield start + message.rel, message.text.render(rw)


def build_stream(
    scenarios: Sequence[Scenario],
    target_events: int,
    concurrency: float = 200.0,
    first_index: int = 1,
    base_time: float = 1_800_000_000.0,
    unique_callers: bool = False,
) -> Stream:
    """At least `target_events` events: copies of the scenarios in turn, `concurrency` at once.

    `unique_callers`: copy n talks to external party n (every caller new to the CRM), not to
    party n % CALLERS."""
    mean_duration = sum(s.duration for s in scenarios) / len(scenarios)
    mean_events = sum(len(s.messages) for s in scenarios) / len(scenarios)
    gap = mean_duration / concurrency
    copies = max(1, round(target_events / mean_events))
    sources: list[Iterator[tuple[float, int, str]]] = []
    calls: list[str] = []
    by_scenario: dict[str, int] = {}
    events = 0
    for n in range(copies):
        scenario = scenarios[n % len(scenarios)]
        index = first_index + n
        start = n * gap
        stamp = _stamp(scenario.messages[0])
        origin = float(stamp) if stamp else base_time
        rw = Rewriter(index, base_time + start - origin, index if unique_callers else None)
        calls.extend(rw(("uid", linkedid)) for linkedid in scenario.linkedids)
        by_scenario[scenario.name] = by_scenario.get(scenario.name, 0) + 1
        events += len(scenario.messages)
        sources.append(((t, index, text) for t, text in _copy_events(scenario, rw, start)))
    merged = heapq.merge(*sources)
    data = "".join(text + SEP for _, _, text in merged).encode()
    span = (copies - 1) * gap + max(s.duration for s in scenarios)
    busy = sum(scenarios[n % len(scenarios)].duration for n in range(copies))
    plateau = min(concurrency, float(copies))
    return Stream(data, events, calls, copies, span, busy / span, plateau, by_scenario)


def without_events(scenarios: Sequence[Scenario], names: frozenset[str]) -> list[Scenario]:
    """The scenarios minus the events named (what an AMI event filter would keep back)."""
    return [
        replace(s, messages=tuple(m for m in s.messages if m.name not in names)) for s in scenarios
    ]


def _stamp(message: Message) -> str | None:
    for key, value in message.headers:
        if key == "Timestamp":
            return value.literals[0] if not value.slots else value.slots[0][1]
    return None


def call_starts(scenario: Scenario, stop_before: Callable[[int], bool]) -> tuple[Message, ...]:
    """The scenario's messages up to (not including) the first index where stop_before is true."""
    for i in range(len(scenario.messages)):
        if stop_before(i):
            return scenario.messages[:i]
    return scenario.messages


def render_headers(message: Message, rw: Rewriter) -> dict[str, str]:
    """One message as the dict the tracker sees (repeated names newline-joined, as AmiClient)."""
    result: dict[str, str] = {}
    for key, value in message.headers:
        text = value.render(rw)
        result[key] = f"{result[key]}\n{text}" if key in result else text
    return result
