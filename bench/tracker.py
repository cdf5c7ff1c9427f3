"""Tracker alone: memory per active call (10,000 concurrent, tracemalloc) and events/s of apply."""

from __future__ import annotations

import time
import tracemalloc
from collections.abc import Iterator

from cti.state.events import AmiEvent
from cti.state.tracker import Tracker

CALLS = 10_000
BUDGET_BYTES = 8 * 1024


def _event(name: str, chan: str, uid: str, linkedid: str, t: float, **extra: str) -> AmiEvent:
    headers = {
        "Event": name, "Timestamp": f"{t:.6f}", "Channel": chan, "ChannelState": "4",
        "CallerIDNum": "+420601000001", "CallerIDName": "Petr", "Exten": "0201234567",
        "Context": "from-trunk", "Uniqueid": uid, "Linkedid": linkedid, **extra,
    }  # fmt: skip
    return AmiEvent(name, headers, t)


def call_setup(n: int, t: float) -> Iterator[AmiEvent]:
    """An inbound queue call up to talking: ~20 events, two agents rung, one answers."""
    caller, lid = f"PJSIP/trunk-{n:08x}", f"{n}.0"
    yield _event("Newchannel", caller, lid, lid, t)
    for var in ("CHANNEL(language)", "__FROM_DID", "QUEUE_PRIO"):
        yield _event("VarSet", caller, lid, lid, t, Variable=var, Value="x")
    yield _event("QueueCallerJoin", caller, lid, lid, t, Queue="sales")
    for k, ext in enumerate(("1001", "1002")):
        uid = f"{n}.{k + 1}"
        yield _event("Newchannel", f"PJSIP/{ext}-{n:08x}", uid, lid, t, ChannelState="0")
        yield _event("DialBegin", caller, lid, lid, t, DestUniqueid=uid)
        yield _event("Newstate", f"PJSIP/{ext}-{n:08x}", uid, lid, t + 1, ChannelState="5")
    yield _event("Newstate", f"PJSIP/1002-{n:08x}", f"{n}.2", lid, t + 3, ChannelState="6")
    yield _event("Hangup", f"PJSIP/1001-{n:08x}", f"{n}.1", lid, t + 3, Cause="26")
    for uid, chan in ((lid, caller), (f"{n}.2", f"PJSIP/1002-{n:08x}")):
        yield _event("BridgeEnter", chan, uid, lid, t + 3, BridgeUniqueid=f"br-{n}")


def call_teardown(n: int, t: float) -> Iterator[AmiEvent]:
    lid = f"{n}.0"
    for uid, chan in ((f"{n}.2", f"PJSIP/1002-{n:08x}"), (lid, f"PJSIP/trunk-{n:08x}")):
        yield _event("BridgeLeave", chan, uid, lid, t, BridgeUniqueid=f"br-{n}")
        yield _event("Hangup", chan, uid, lid, t, Cause="16")


def main() -> None:
    setup = [e for n in range(CALLS) for e in call_setup(n, 1_700_000_000.0 + n)]
    teardown = [e for n in range(CALLS) for e in call_teardown(n, 1_700_100_000.0 + n)]
    tracker = Tracker()
    tracemalloc.start()
    before = tracemalloc.take_snapshot()
    for event in setup:
        tracker.apply(event)
    after = tracemalloc.take_snapshot()
    tracemalloc.stop()
    held = sum(stat.size_diff for stat in after.compare_to(before, "filename"))
    per_call = held / CALLS
    print(f"active calls: {len(tracker)}; tracker memory: {held / 1e6:.1f} MB, "
          f"{per_call:.0f} B per active call (budget {BUDGET_BYTES} B)")  # fmt: skip
    fresh = Tracker()
    events = setup + teardown
    started = time.perf_counter()
    ended = sum(len(fresh.apply(event)) for event in events)
    elapsed = time.perf_counter() - started
    print(f"apply: {len(events)} events in {elapsed:.2f} s = {len(events) / elapsed:,.0f} events/s "
          f"({ended} call events out)")  # fmt: skip
    if per_call > BUDGET_BYTES or len(fresh) != 0:
        raise SystemExit("tracker over its memory budget or calls left open")


if __name__ == "__main__":
    main()
