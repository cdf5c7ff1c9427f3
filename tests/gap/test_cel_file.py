"""Reading the CEL file from a point in time: bisected, exact at the edges, tolerant of junk."""

from __future__ import annotations

import json
from pathlib import Path

from cti.gap.cel_file import read_since


def write_rows(path: Path, times: list[float], junk_every: int = 0) -> None:
    lines = []
    for index, stamp in enumerate(times):
        if junk_every and index % junk_every == 0:
            lines.append("not json {")
        row = {"eventtype": "ANSWER", "eventtime": f"{stamp:.6f}", "uniqueid": str(index)}
        lines.append(json.dumps(row))
    path.write_text("\n".join(lines) + "\n")


def test_rows_after_a_time_are_exactly_those_after_it(tmp_path: Path) -> None:
    path = tmp_path / "cel.jsonl"
    times = [1_800_000_000 + i * 0.01 for i in range(50_000)]
    write_rows(path, times, junk_every=997)
    for since in (times[0] - 1, times[1234], times[25_000] + 0.005, times[-2], times[-1]):
        until = since + 30
        rows = read_since(path, since, until)
        expected = [t for t in times if since < t <= until]
        assert [float(row["eventtime"]) for row in rows] == expected


def test_a_half_written_last_line_is_skipped(tmp_path: Path) -> None:
    path = tmp_path / "cel.jsonl"
    write_rows(path, [1.0, 2.0, 3.0])
    with path.open("a") as handle:
        handle.write('{"eventtype": "HANG')
    assert [row["uniqueid"] for row in read_since(path, 0, 10)] == ["0", "1", "2"]


def test_a_missing_file_gives_nothing(tmp_path: Path) -> None:
    assert read_since(tmp_path / "absent.jsonl", 0, 10) == []
