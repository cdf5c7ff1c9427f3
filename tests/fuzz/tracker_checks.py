"""The tracker's bars as a check: no exception (the caller sees it), every started call ended
exactly once, nothing open once every channel hung up (and after a Resync listing nothing)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from cti.state.events import Resync
from cti.state.records import CallEnded, CallEvent, CallStarted
from cti.state.tracker import Tracker
from tests.fuzz.perturb import Item


@dataclass
class Ledger:
    """Start/end bookkeeping per Linkedid over a tracker's whole life."""

    open: Counter[str] = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)

    def note(self, outputs: Iterable[CallEvent]) -> None:
        for out in outputs:
            linkedid = out.call.linkedid
            if isinstance(out, CallStarted):
                if self.open[linkedid]:
                    self.problems.append(f"{linkedid} started twice")
                self.open[linkedid] += 1
            elif isinstance(out, CallEnded):
                if not self.open[linkedid]:
                    self.problems.append(f"{linkedid} ended without being open")
                self.open[linkedid] -= 1
                if not self.open[linkedid]:
                    del self.open[linkedid]


def run(tracker: Tracker, ledger: Ledger, items: list[Item], closing: bool = False) -> list[str]:
    """Apply the items; check the tracker is empty afterwards. `closing`: first a Resync that
    lists no channel (Asterisk empty), needed when a made-up Resync adopted ghost channels."""
    for item in items:
        ledger.note(tracker.apply(item))
    if closing:
        ledger.note(tracker.apply(Resync((), (), _last_time(items))))
    _take_changes(tracker)
    problems, ledger.problems = ledger.problems, []
    if len(tracker):
        problems.append(f"{len(tracker)} calls left in the tracker")
    if tracker.active_calls():
        problems.append(f"active calls left: {[c.linkedid for c in tracker.active_calls()]}")
    if ledger.open:
        problems.append(f"started calls never ended: {sorted(ledger.open)}")
    return problems


def _take_changes(tracker: Tracker) -> None:
    """What the bridge's state writer does after each batch (the tracker keeps what changed until
    then); looked up by name, as that API is newer than these checks."""
    take = getattr(tracker, "take_changes", None)
    if take is not None:
        take()


def _last_time(items: list[Item]) -> float:
    return items[-1].time if items else 0.0
