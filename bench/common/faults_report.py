"""The fault harness's table (one row per fault and database), details and JSON."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.common.faults_compare import CLASSES, Comparison, Finding
from bench.common.faults_round import RoundResult

CONTROL_ROW = "(control vs ground truth)"


@dataclass
class Row:
    name: str
    what: str = ""
    trials: int = 0
    calls: int = 0
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(CLASSES, 0))
    unsettled: int = 0
    notes: list[str] = field(default_factory=list)
    findings: list[tuple[int, Finding]] = field(default_factory=list)  # (round, finding)

    def add(self, comparison: Comparison, round_no: int) -> None:
        self.trials += 1
        self.calls += comparison.compared
        for kind, value in comparison.counts().items():
            self.counts[kind] += value
        self.findings.extend((round_no, finding) for finding in comparison.findings)

    @property
    def clean(self) -> bool:
        return all(self.counts[kind] == 0 for kind in ("lost", "doubled", "ghost", "wrong"))


def build_rows(rounds: list[RoundResult]) -> list[Row]:
    rows: dict[str, Row] = {}
    control = Row(CONTROL_ROW, "the undisturbed bridge against the simulator's SIP-side truth")
    for number, result in enumerate(rounds, 1):
        control.add(result.control_vs_truth, number)
        control.unsettled += not result.control_settled
        for trial_result in result.trials:
            trial = trial_result.trial
            row = rows.setdefault(trial.row, Row(trial.row, trial.spec.what))
            judged = trial_result.versus_control or trial_result.versus_truth
            row.add(judged, number)
            row.unsettled += not trial_result.settled
            if trial.notes:
                row.notes.append(", ".join(f"{k}={v}" for k, v in trial.notes.items()))
    return [*sorted(rows.values(), key=lambda row: row.name), control]


def table(rows: list[Row]) -> str:
    head = (
        "fault",
        "trials",
        "calls",
        "lost",
        "doubled",
        "ghost",
        "wrong",
        "extra",
        "unsettled",
        "result",
    )
    cells: list[tuple[str, ...]] = [head]
    for row in rows:
        counts = [str(row.counts[kind]) for kind in CLASSES]
        verdict = "ok" if row.clean else "FAIL"
        cells.append(
            (row.name, str(row.trials), str(row.calls), *counts, str(row.unsettled), verdict)
        )
    widths = [max(len(line[i]) for line in cells) for i in range(len(head))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)) for line in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(line.rstrip() for line in lines)


def details(rows: list[Row]) -> str:
    out: list[str] = []
    for row in rows:
        if not row.findings and not row.notes:
            continue
        out.append(f"\n== {row.name}: {row.what}")
        out.extend(f"  notes: {note}" for note in row.notes)
        out.extend(f"  round {number}: {finding.describe()}" for number, finding in row.findings)
    return "\n".join(out)


def write_json(path: Path, rows: list[Row], meta: dict[str, Any]) -> None:
    body = {
        "meta": meta,
        "rows": [
            {
                "fault": row.name,
                "what": row.what,
                "trials": row.trials,
                "calls": row.calls,
                **row.counts,
                "unsettled": row.unsettled,
                "notes": row.notes,
                "findings": [
                    {
                        "round": number,
                        "kind": f.kind,
                        "call": f.call,
                        "diffs": [list(map(_plain, diff)) for diff in f.diffs],
                    }
                    for number, f in row.findings
                ],
            }
            for row in rows
        ],
    }
    path.write_text(json.dumps(body, indent=2, default=str))


def _plain(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value
