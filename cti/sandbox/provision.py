"""Build the Debian sid chroot with Asterisk 22 (debootstrap), once; reuse it afterwards."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from typing import TextIO

from tqdm import tqdm

from cti.sandbox.errors import EXTERNAL_ASTERISK_HINT, SandboxError
from cti.sandbox.layout import Layout
from cti.sandbox.mirror import check_reachable, debian_mirror

SUITE = "sid"
PACKAGES = ("asterisk", "asterisk-modules")


def is_provisioned(layout: Layout) -> bool:
    return layout.marker.is_file() and (layout.root / "usr/sbin/asterisk").is_file()


def provision(layout: Layout, show_progress: bool = True) -> None:
    """Make the chroot unless a completed one is there. A half-made one is removed and redone."""
    if is_provisioned(layout):
        return
    _check_machine()
    try:
        mirror = debian_mirror()
        check_reachable(mirror)
    except SandboxError as exc:
        raise SandboxError(f"{exc}. {EXTERNAL_ASTERISK_HINT}") from exc
    if layout.root.exists():
        shutil.rmtree(layout.root)
    layout.base.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    _run_debootstrap(layout, mirror, show_progress)
    info = {"mirror": mirror, "suite": SUITE, "seconds": round(time.monotonic() - started)}
    layout.marker.write_text(json.dumps(info) + "\n")


def _check_machine() -> None:
    if os.geteuid() != 0:
        raise SandboxError(
            "building the Asterisk sandbox needs root (debootstrap and chroot). "
            + EXTERNAL_ASTERISK_HINT
        )
    if shutil.which("debootstrap") is None:
        raise SandboxError(
            "debootstrap is not installed: run `apt-get install -y debootstrap`"
            " (or `make provision`). " + EXTERNAL_ASTERISK_HINT
        )


def _command(layout: Layout, mirror: str) -> list[str]:
    include = ",".join(PACKAGES)
    return [
        "debootstrap",
        "--variant=minbase",
        f"--include={include}",
        SUITE,
        str(layout.root),
        mirror,
    ]


def _run_debootstrap(layout: Layout, mirror: str, show_progress: bool) -> None:
    log_path = layout.base / "debootstrap.log"
    with (
        log_path.open("w") as log,
        tqdm(desc="debootstrap sid", unit=" steps", disable=not show_progress) as bar,
    ):
        for line in _lines(_command(layout, mirror), log):
            bar.set_postfix_str(line[:60], refresh=False)
            bar.update()
    if not (layout.root / "usr/sbin/asterisk").exists():
        raise SandboxError(f"debootstrap did not install Asterisk; see {log_path}")


def _lines(command: list[str], log: TextIO) -> Iterator[str]:
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, errors="replace"
    ) as process:
        assert process.stdout is not None
        for line in process.stdout:
            log.write(line)
            yield line.strip()
    if process.returncode != 0:
        raise SandboxError(f"debootstrap failed (exit {process.returncode}); see {log.name}")
