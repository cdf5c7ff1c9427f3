"""The Dockerfile's build stages replayed without a Docker engine: each stage's COPY lines put
exactly those files into a folder standing for the stage's filesystem, then the stage's build
runs there. A file the image build would miss fails here (issue 19)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path, PurePosixPath

import pytest

from tests.install.dockerfile import Stage, stage
from tests.install.wheel import ROOT, clean_environment

SOFTPHONE = ROOT / "web_softphone"
TIMEOUT = 180.0


def workdir(of: Stage) -> PurePosixPath:
    return PurePosixPath(of.last("WORKDIR"))


def replay_copies(of: Stage, roots: dict[str, Path]) -> Path:
    """COPY as Docker does (a folder's contents go to the destination); returns the WORKDIR."""
    root = roots[of.name]
    cwd = workdir(of)
    for origin, sources, destination in of.copies():
        target = root / str(cwd / destination).lstrip("/")
        into_folder = destination.endswith("/") or len(sources) > 1
        for source in sources:
            path = roots[origin] / source.lstrip("/") if origin else ROOT / source
            assert path.exists(), (
                f"COPY {source}: not in the {'stage ' + origin if origin else 'repository'}"
            )
            if path.is_dir():
                shutil.copytree(path, target, dirs_exist_ok=True)
            else:
                (target if into_folder else target.parent).mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, target / path.name if into_folder else target)
    return root / str(cwd).lstrip("/")


def run(command: list[str], cwd: Path, **env: str) -> None:
    done = subprocess.run(
        command, cwd=cwd, env=clean_environment(**env), capture_output=True, text=True,
        timeout=TIMEOUT,
    )  # fmt: skip
    assert done.returncode == 0, f"{command} failed:\n{done.stdout}\n{done.stderr}"


@pytest.fixture(scope="module")
def roots(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("image")
    return {name: base / name for name in ("page", "wheel", "runtime")}


@pytest.fixture(scope="module")
def page_stage(roots: dict[str, Path]) -> Path:
    page = stage("page")
    assert any("npm ci" in line for line in page.all("RUN"))
    assert page.all("RUN")[-1] == "npm run build"
    folder = replay_copies(page, roots)
    # `npm ci` offline: the checkout's node_modules, installed from the same package-lock.json
    assert (folder / "package-lock.json").read_bytes() == (
        SOFTPHONE / "package-lock.json"
    ).read_bytes()
    (folder / "node_modules").symlink_to(SOFTPHONE / "node_modules", target_is_directory=True)
    run(["npm", "run", "--silent", "build"], folder)
    return folder


@pytest.fixture(scope="module")
def built_wheel(roots: dict[str, Path], page_stage: Path) -> Path:
    wheel = stage("wheel")
    (build,) = [line for line in wheel.all("RUN") if line.startswith("pip wheel")]
    assert "--no-build-isolation" in build
    assert "--wheel-dir /wheels" in build
    folder = replay_copies(wheel, roots)
    out = roots["wheel"] / "wheels"
    # the stage has no Node: PATH holds Python alone, as in python:3.11-slim
    run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
         "--disable-pip-version-check", "--wheel-dir", str(out), "."],
        folder, PATH=os.path.dirname(sys.executable),
    )  # fmt: skip
    (built,) = out.glob("cti_bridge-*.whl")
    return built


def test_the_page_stage_builds_the_page_from_what_it_copies(page_stage: Path) -> None:
    assert {p.name for p in (page_stage / "dist").iterdir()} >= {"index.html", "app.js", "app.css"}


def test_the_wheel_stage_packs_the_page_built_by_the_page_stage(
    built_wheel: Path, page_stage: Path
) -> None:
    names = set(zipfile.ZipFile(built_wheel).namelist())
    assert "cti/web_dist/index.html" in names
    packed = zipfile.ZipFile(built_wheel).read("cti/web_dist/app.js")
    assert packed == (page_stage / "dist" / "app.js").read_bytes()
    assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc")]
    assert "crm_core/migrations/alembic.ini" in names


def test_the_runtime_stage_installs_only_the_wheel() -> None:
    runtime = stage("runtime")
    assert runtime.copies() == [("wheel", ["/wheels"], "/wheels")]
    (install,) = [line for line in runtime.all("RUN") if "pip install" in line]
    assert "/wheels/*.whl" in install
    assert not [line for line in runtime.all("RUN") if "npm" in line or "node" in line]
