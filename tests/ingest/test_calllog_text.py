"""Odd caller IDs from the wire never cost the call its record."""

from __future__ import annotations

from cti.ingest.calllog import to_crm
from cti.state.records import CallRecord


def test_a_nul_in_the_caller_id_is_dropped_not_the_call() -> None:
    record = CallRecord(
        linkedid="n.1", direction="inbound", caller="+42190\x000123456", caller_name="",
        callee="100\x00", did="100", queue="sales\x00", agents_rang=("1001",),
        answered_by="1001", disposition="answered", started_at=1.0, answered_at=2.0,
        ended_at=3.0, wait_seconds=1.0, talk_seconds=1.0, transfers=(), recording=None,
        route_reason=None, note="x\x00y",
    )  # fmt: skip
    stored = to_crm(record)
    assert (stored.caller, stored.callee, stored.queue) == ("+421900123456", "100", "sales")
    assert stored.note == "xy"
