"""Call-by-call comparison of a bridge's records with the control bridge's, or with the
simulator's ground truth.

Classes of finding, per business call:
- lost: the reference has the call, the bridge has no record of it;
- doubled: the bridge has two or more records for one call (split across linkedids);
- ghost: the bridge's record is still open (ended_at or disposition null) after the call is over;
- wrong: a compared field differs (a diff per field);
- extra: a record that matches nothing in the reference (shown, not a column of the table).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from bench.common.faults_records import COMPARED_FIELDS, Record
from bench.common.faults_truth import TruthCall

MATCH_WINDOW_SECONDS = 5.0
QUEUE_OF_DID = {"100": "sales", "200": "support"}
CLASSES = ("lost", "doubled", "ghost", "wrong", "extra")


@dataclass(frozen=True)
class Finding:
    kind: str
    call: str  # linkedid (against the control) or a description of the true call
    diffs: tuple[tuple[str, Any, Any], ...] = ()  # (field, reference value, bridge value)

    def describe(self) -> str:
        head = f"{self.kind:8} {self.call}"
        if not self.diffs:
            return head
        parts = [f"{name}: {want!r} -> {got!r}" for name, want, got in self.diffs]
        return head + "  " + "; ".join(parts)


@dataclass
class Comparison:
    findings: list[Finding] = field(default_factory=list)
    compared: int = 0  # reference calls looked at

    def count(self, kind: str) -> int:
        return sum(1 for finding in self.findings if finding.kind == kind)

    def counts(self) -> dict[str, int]:
        return {kind: self.count(kind) for kind in CLASSES}

    @property
    def clean(self) -> bool:
        return not self.findings


def compare_with_control(control: dict[str, Record], test: dict[str, Record]) -> Comparison:
    result = Comparison(compared=len(control))
    unmatched = {lid: rec for lid, rec in test.items() if lid not in control}
    for linkedid, wanted in sorted(control.items(), key=lambda item: item[1].started_at):
        got = test.get(linkedid)
        splits = _take_matching(wanted, unmatched)
        if got is None and splits:
            got, splits = splits[0], splits[1:]
            result.findings.append(
                Finding("wrong", linkedid, (("linkedid", linkedid, got.linkedid),))
            )
        if splits:
            others = ", ".join(split.linkedid for split in splits)
            result.findings.append(Finding("doubled", f"{linkedid} (also as {others})"))
        if got is None:
            result.findings.append(Finding("lost", _label(wanted)))
            continue
        result.findings.extend(_judge(linkedid, wanted, got))
    result.findings.extend(Finding("extra", _label(rec)) for rec in unmatched.values())
    return result


def _judge(linkedid: str, wanted: Record, got: Record) -> list[Finding]:
    if got.open:
        return [Finding("ghost", f"{linkedid} ({got.caller} -> {got.callee})")]
    diffs = tuple(
        (name, wanted.field(name), got.field(name))
        for name in COMPARED_FIELDS
        if wanted.field(name) != got.field(name)
    )
    return (
        [Finding("wrong", f"{linkedid} ({wanted.caller} -> {wanted.callee})", diffs)]
        if diffs
        else []
    )


def _take_matching(wanted: Record, pool: dict[str, Record]) -> list[Record]:
    """Records of `pool` that look like the same business call (same parties, same start)."""
    taken = [
        rec
        for rec in pool.values()
        if rec.parties == wanted.parties
        and abs(rec.started_at - wanted.started_at) <= MATCH_WINDOW_SECONDS
    ]
    for rec in taken:
        del pool[rec.linkedid]
    return sorted(taken, key=lambda rec: abs(rec.started_at - wanted.started_at))


def _label(record: Record) -> str:
    return f"{record.linkedid} ({record.direction} {record.caller} -> {record.callee})"


# -- against the simulator's ground truth ----------------------------------------------------
def compare_with_truth(truth: Sequence[TruthCall], records: dict[str, Record]) -> Comparison:
    result = Comparison(compared=len(truth))
    pool = dict(records)
    for call in sorted(truth, key=lambda c: c.started_at):
        matches = _truth_matches(call, pool)
        label = _truth_label(call)
        if not matches:
            result.findings.append(Finding("lost", label))
            continue
        got = matches[0]
        if len(matches) > 1:
            others = ", ".join(rec.linkedid for rec in matches)
            result.findings.append(Finding("doubled", f"{label} as {others}"))
        if got.open:
            result.findings.append(Finding("ghost", f"{label} {got.linkedid}"))
            continue
        diffs = tuple(_truth_diffs(call, got))
        if diffs:
            result.findings.append(Finding("wrong", f"{label} {got.linkedid}", diffs))
    result.findings.extend(Finding("extra", _label(rec)) for rec in pool.values())
    return result


def _truth_matches(call: TruthCall, pool: dict[str, Record]) -> list[Record]:
    found = [
        rec
        for rec in pool.values()
        if rec.parties == call.parties
        and abs(rec.started_at - call.started_at) <= MATCH_WINDOW_SECONDS
    ]
    found.sort(key=lambda rec: abs(rec.started_at - call.started_at))
    for rec in found:
        del pool[rec.linkedid]
    return found


def _truth_diffs(call: TruthCall, got: Record) -> Iterable[tuple[str, Any, Any]]:
    expected: dict[str, Any] = {
        "direction": call.kind,
        "caller": call.caller,
        "callee": call.callee,
    }
    if not call.cut_by_restart:
        expected["agents_rang"] = tuple(sorted(call.agents_rang))
        expected["answered_by"] = (call.answered_by or "") if call.kind != "outbound" else ""
        expected["transfers"] = tuple(call.transfers)
        if call.kind == "inbound":
            expected["queue"] = QUEUE_OF_DID.get(call.callee, "")
    disposition = call.expected_disposition()
    if disposition is not None:
        expected["disposition"] = disposition
    for name, want in expected.items():
        if got.field(name) != want:
            yield name, want, got.field(name)


def _truth_label(call: TruthCall) -> str:
    cut = " cut-by-restart" if call.cut_by_restart else ""
    return f"[{call.kind} {call.caller} -> {call.callee}{cut}]"
