"""`import_contacts_csv`: validate all rows, reject the bad ones with a reason, insert the rest
in one transaction with bulk (executemany) inserts."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from crm_core.db import Sessions
from crm_core.importing.rows import COLUMNS, RejectedRow, RowError, ValidRow, validate_row
from crm_core.importing.writer import BulkWriter
from crm_core.services.dto import Actor

Progress = Callable[[int], object]


class ImportFileError(Exception):
    """The file as a whole cannot be imported (encoding, header)."""


@dataclass(slots=True)
class ImportReport:
    rows: int = 0
    imported: int = 0
    companies_created: int = 0
    rejected: list[RejectedRow] = field(default_factory=list)


def read_text(path: Path, encoding: str) -> str:
    data = path.read_bytes()
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            f"{path} is not valid {encoding} (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "re-save it as UTF-8 or pass --encoding (e.g. cp1250, latin-1)"
        ) from exc
    except LookupError as exc:
        raise ImportFileError(f"unknown encoding {encoding!r}") from exc


MAX_LINE = 16_384
"""No contact's line is longer (every column is at most a few hundred characters)."""


class LineError(ValueError):
    """One line that cannot be read as CSV: reported with its number, the others still go."""


def _cells(line: str) -> list[str]:
    """One physical line as CSV cells. A contact's cell holds no line break, so a quote left open
    is this line's fault alone: it never swallows the rows after it."""
    if len(line) > MAX_LINE:
        raise LineError(f"line longer than {MAX_LINE:,} characters")
    try:
        return next(csv.reader([line], strict=True), [])
    except csv.Error as exc:
        raise LineError(f"not readable as CSV ({exc}): an unbalanced quote?") from exc


def csv_rows(text: str) -> Iterator[tuple[int, dict[str, str] | LineError]]:
    """(line number, cells by column, or why the line cannot be read) for each line."""
    lines = io.StringIO(text, newline="").read().splitlines()
    try:
        header = _cells(lines[0]) if lines else []
    except LineError as exc:
        raise ImportFileError(f"the header line: {exc}") from exc
    missing = [column for column in COLUMNS if column not in header]
    if missing:
        raise ImportFileError(
            f"missing columns: {', '.join(missing)} (expected {','.join(COLUMNS)})"
        )
    for number, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        try:
            yield number, dict(zip(header, _cells(line), strict=False))
        except LineError as exc:
            yield number, exc


def validate_all(
    text: str, region: str, report: ImportReport, progress: Progress
) -> list[ValidRow]:
    valid: list[ValidRow] = []
    seen_phones: dict[str, int] = {}
    for line, raw in csv_rows(text):
        report.rows += 1
        progress(1)
        try:
            if isinstance(raw, LineError):
                raise RowError(str(raw))
            row = validate_row(line, raw, region)
            for e164, _raw, _kind in row.phones:
                if e164 in seen_phones:
                    raise RowError(f"phone {e164} already on line {seen_phones[e164]} of this file")
            seen_phones.update((phone[0], line) for phone in row.phones)
            valid.append(row)
        except RowError as exc:
            report.rejected.append(RejectedRow(line, str(exc)))
    return valid


async def import_contacts_csv(
    sessions: Sessions,
    actor: Actor,
    path: Path,
    *,
    region: str,
    encoding: str = "utf-8-sig",
    all_or_nothing: bool = False,
    progress: Progress = lambda _n: None,
) -> ImportReport:
    """Import contacts from `path`; see crm_core.importing.rows.COLUMNS for the columns.

    Bad rows are reported (line and reason) and skipped; the good rows go in one transaction.
    With `all_or_nothing`, any bad row means nothing is imported."""
    report = ImportReport()
    valid = validate_all(read_text(path, encoding), region, report, progress)
    async with sessions.begin() as session:
        writer = BulkWriter(session, actor, source=f"import:{path.name}")
        await writer.load_lookups()
        valid = writer.reject_known(valid, report.rejected)
        if report.rejected and all_or_nothing:
            report.imported = 0
            return report
        report.companies_created = await writer.insert(valid)
        report.imported = len(valid)
    report.rejected.sort(key=lambda rejected: rejected.line)
    return report
