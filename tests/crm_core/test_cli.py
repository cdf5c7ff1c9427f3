"""The CLI commands against a real database: db upgrade, user add, import, demo-data."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from click.testing import CliRunner

import crm_core
from crm_core.runtime import ensure_admin
from crm_core.services import Services
from cti.cli import cli

pytestmark = pytest.mark.usefixtures("services")


@pytest.fixture
def runner(db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("CTI_DATABASE_URL", db_url)
    monkeypatch.setenv("CTI_VAR_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("CTI_SECRET_KEY", "test-secret-key")
    return CliRunner()


async def invoke(runner: CliRunner, *args: str) -> tuple[int, str]:
    result = await asyncio.to_thread(runner.invoke, cli, list(args))
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.output


def _head_revision() -> str:
    versions = Path(crm_core.__file__).parent / "migrations" / "versions"
    return max(path.name.split("_")[0] for path in versions.glob("[0-9]*.py"))


async def test_db_upgrade_is_idempotent(runner: CliRunner) -> None:
    expected = (0, f"database at revision {_head_revision()}\n")
    assert await invoke(runner, "db", "upgrade") == expected
    assert await invoke(runner, "db", "upgrade") == expected


async def test_user_add_prints_a_generated_password(runner: CliRunner, services: Services) -> None:
    code, output = await invoke(
        runner,
        "user",
        "add",
        "eva",
        "--role",
        "supervisor",
        "--extension",
        "1001",
        "--extension",
        "1002",
    )
    assert code == 0
    password = output.split("password: ")[1].strip()
    user = await services.users.authenticate("eva", password)
    assert (user.role, user.extensions) == ("supervisor", ["1001", "1002"])
    code, output = await invoke(runner, "user", "add", "eva")
    assert code == 1
    assert "taken" in output


async def test_import_reports_rejected_rows(
    runner: CliRunner, services: Services, tmp_path: Path
) -> None:
    path = tmp_path / "c.csv"
    path.write_text(
        "first_name,last_name,company,email,phone,phone2,owner,status\n"
        "Ján,Š,,,0900 123 456,,,\nX,Y,,,1,,,\n"
    )
    code, output = await invoke(runner, "import", "contacts", str(path))
    assert code == 0
    assert "2 rows: 1 imported, 1 rejected" in output
    assert "line 3:" in output
    assert await services.cards.lookup("+421900123456") is not None


async def test_import_of_a_non_utf8_file_fails_clearly(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_bytes(
        "first_name,last_name,company,email,phone,phone2,owner,status\nJán,Šťastný,,,,,,\n".encode(
            "cp1250"
        )
    )
    code, output = await invoke(runner, "import", "contacts", str(path))
    assert code == 1
    assert "--encoding" in output


async def test_first_admin_is_created_once(services: Services) -> None:
    password = await ensure_admin(services)
    assert password is not None
    assert (await services.users.authenticate("admin", password)).role == "admin"
    assert await ensure_admin(services) is None


async def test_demo_data_is_idempotent(services: Services) -> None:
    from crm_core.demo import load_demo_data

    first = await load_demo_data(services, companies=5, contacts=20, calls=30, tasks=5)
    assert (first.created, first.companies, first.contacts) == (True, 5, 20)
    second = await load_demo_data(services, companies=5, contacts=20, calls=30, tasks=5)
    assert not second.created
    agent1 = await services.users.authenticate("agent1", "demo")
    assert (agent1.extensions, agent1.display_name) == (["1001"], "Alice Agent")
    from crm_core.services.dto import Actor, CallFilter, PageParams

    assert (await services.search.search(None, PageParams())).total == 20
    assert (await services.calls.list(Actor.system(), CallFilter())).total == 30
