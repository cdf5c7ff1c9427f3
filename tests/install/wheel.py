"""Build the wheel from the checkout and install it into a fresh virtualenv outside the tree.

Offline and quick: the wheel is built without build isolation (hatchling is a dev dependency),
and the fresh virtualenv borrows the project venv's third-party packages through a plain path
line in a .pth file. Such a line adds the folder without running the .pth files inside it, so
the project venv's editable install (its `_cti_bridge.pth` pointing at the checkout) stays out:
`cti` is imported from the wheel only, as on a PBX admin's machine.
"""

from __future__ import annotations

import os
import site
import subprocess
import sys
import sysconfig
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BUILD_TIMEOUT = 120.0


@dataclass(frozen=True)
class Installed:
    venv: Path
    wheel: Path

    @property
    def cti(self) -> Path:
        return self.venv / "bin" / "cti"

    @property
    def python(self) -> Path:
        return self.venv / "bin" / "python"


def build_wheel(into: Path) -> Path:
    _run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
         "--disable-pip-version-check", "-q", "-w", str(into), str(ROOT)],
    )  # fmt: skip
    (wheel,) = into.glob("cti_bridge-*.whl")
    return wheel


def install(wheel: Path, venv: Path) -> Installed:
    _run([sys.executable, "-m", "venv", "--without-pip", str(venv)])
    purelib = sysconfig.get_path("purelib", vars={"base": str(venv), "platbase": str(venv)})
    Path(purelib, "project_dependencies.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    _run(
        [sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"), "install",
         "--no-index", "--no-deps", "--disable-pip-version-check", "-q", str(wheel)],
    )  # fmt: skip
    return Installed(venv, wheel)


def clean_environment(**settings: str) -> dict[str, str]:
    """The test's environment without the checkout on PYTHONPATH and without CTI_*/CRM_*
    variables a developer may have set, plus `settings`."""
    kept = {
        name: value
        for name, value in os.environ.items()
        if name != "PYTHONPATH" and not name.startswith(("CTI_", "CRM_"))
    }
    return kept | settings


def _run(command: list[str]) -> None:
    done = subprocess.run(
        command, capture_output=True, text=True, timeout=BUILD_TIMEOUT, env=clean_environment()
    )
    if done.returncode != 0:
        raise AssertionError(f"{command[:4]} failed:\n{done.stdout}\n{done.stderr}")
