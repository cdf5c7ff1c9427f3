"""Finding 9 (issue 13): `cti import contacts` reports a 1 MB field and an unbalanced quote as
rejected lines, and the valid rows after them are imported."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from click.testing import CliRunner

from crm_core.services import Services
from crm_core.services.dto import PageParams
from cti.cli import cli

HEADER = "first_name,last_name,company,email,phone,phone2,owner,status\n"


@pytest.fixture
def runner(db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("CTI_DATABASE_URL", db_url)
    monkeypatch.setenv("CTI_VAR_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("CTI_SECRET_KEY", "test-secret-key")
    return CliRunner()


async def test_a_huge_field_and_an_open_quote_are_rejected_lines_not_a_crash(
    runner: CliRunner, services: Services, tmp_path: Path
) -> None:
    path = tmp_path / "contacts.csv"
    path.write_text(
        HEADER
        + "Anna,First,,,,,,\n"
        + f"Huge,{'x' * 1_000_000},,,,,,\n"
        + 'Open,"quote,,,,,,\n'
        + "Boris,After,,,,,,\n"
        + "Cyril,Last,,,,,,\n"
    )
    result = await asyncio.to_thread(runner.invoke, cli, ["import", "contacts", str(path)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert result.exit_code == 0, result.output
    assert "5 rows: 3 imported, 2 rejected" in result.output
    assert "line 3:" in result.output
    assert "line 4:" in result.output
    names = {c.first_name for c in (await services.search.search(None, PageParams())).items}
    assert names == {"Anna", "Boris", "Cyril"}
