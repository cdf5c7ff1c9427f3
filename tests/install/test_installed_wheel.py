"""The product as a PBX admin installs it (issue 19): the wheel, built from the checkout and
installed into a fresh virtualenv outside the tree, serves the agent page from an empty folder,
and the demo agent (`agent1` / `demo`, made with the installed `cti user add`) signs in with
Chromium."""

from __future__ import annotations

import subprocess
import tomllib
import zipfile
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.async_api import Page, expect

from crm_core.demo import DEMO_PASSWORD, DEMO_USERS
from tests.install.dockerfile import stage
from tests.install.server import free_port, run_cti, serving
from tests.install.wheel import ROOT, Installed, clean_environment

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def empty_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("site") / "empty"


@pytest.fixture(scope="module")
def served(installed: Installed, empty_folder: Path) -> Iterator[str]:
    empty_folder.mkdir()
    # the demo agent alone: `cti demo-data` (1,000 contacts) takes 30-95 s on this machine
    login, role, extension, name = DEMO_USERS[0]
    run_cti(installed, empty_folder, "user", "add", login, "--role", role.value,
            "--extension", str(extension), "--name", name, "--password", DEMO_PASSWORD)  # fmt: skip
    with serving(installed, empty_folder) as url:
        yield url


def test_the_wheel_carries_the_built_page(installed: Installed) -> None:
    names = zipfile.ZipFile(installed.wheel).namelist()
    assert {"cti/web_dist/index.html", "cti/web_dist/app.js", "cti/web_dist/app.css"} <= set(names)
    assert "crm_core/migrations/alembic.ini" in names


def test_cti_is_imported_from_the_virtualenv_not_the_checkout(installed: Installed) -> None:
    printed = run_cti(installed, installed.venv, "--version")
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert printed.strip() == f"cti {pyproject['project']['version']}"
    located = subprocess.run(
        [str(installed.python), "-c", "import cti.app as a; print(a.__file__, a.SOFTPHONE_DIST)"],
        cwd=installed.venv, capture_output=True, text=True, check=True,
    ).stdout.split()  # fmt: skip
    assert all(Path(path).is_relative_to(installed.venv) for path in located), located


async def test_the_page_loads_and_a_demo_user_signs_in(served: str, page: Page) -> None:
    async with httpx.AsyncClient(base_url=served) as client:
        assert (await client.get("/app.js")).status_code == 200
    await page.goto(served)
    await expect(page.get_by_role("heading", name="Sign in to the agent screen")).to_be_visible()
    login, _role, extension, name = DEMO_USERS[0]
    await page.get_by_label("Login").fill(login)
    await page.get_by_label("Password").fill(DEMO_PASSWORD)
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_role("searchbox", name="Find a contact")).to_be_visible()
    await expect(page.get_by_text(f"agent · ext. {extension}")).to_be_visible()
    await expect(page.get_by_test_id("current-user")).to_have_text(name)


def test_serve_made_its_database_in_the_empty_folder(served: str, empty_folder: Path) -> None:
    assert (empty_folder / "var" / "cti.db").is_file()


def _health_check(installed: Installed, port: str) -> int:
    """The image's HEALTHCHECK command, run with the installed Python."""
    _, command = stage("runtime").healthcheck
    env = clean_environment(CTI_HTTP_PORT=port)
    python = [str(installed.python), *command[1:]]
    return subprocess.run(python, env=env, capture_output=True, timeout=10).returncode


def test_the_images_health_check_passes_on_cti_serve_and_fails_without_it(
    served: str, installed: Installed
) -> None:
    assert _health_check(installed, served.rsplit(":", 1)[1]) == 0
    assert _health_check(installed, str(free_port())) != 0
