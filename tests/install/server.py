"""`cti serve` of an installed wheel, run as a separate process from an empty folder."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

from tests.install.wheel import Installed, clean_environment

START_TIMEOUT = 60.0
# No Asterisk for this test: the sandbox's AMI is shared (and locked), the page is the point.
OFFLINE = {"CTI_INGEST": "false", "CTI_AGI_ENABLED": "false", "CTI_SANDBOX": "false"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def run_cti(installed: Installed, folder: Path, *args: str) -> str:
    done = subprocess.run(
        [str(installed.cti), *args], cwd=folder, env=clean_environment(**OFFLINE),
        capture_output=True, text=True, timeout=START_TIMEOUT,
    )  # fmt: skip
    if done.returncode != 0:
        raise AssertionError(f"cti {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


@contextlib.contextmanager
def serving(installed: Installed, folder: Path) -> Iterator[str]:
    """`cti serve` in `folder` on a free port; yields its URL once it answers."""
    port = free_port()
    log = (folder.parent / "serve.log").open("w")
    process = subprocess.Popen(
        [str(installed.cti), "serve", "--host", "127.0.0.1", "--port", str(port)],
        cwd=folder, env=clean_environment(**OFFLINE), stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_for(url, process, folder.parent / "serve.log")
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def _wait_for(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"cti serve exited {process.returncode}:\n{log.read_text()}")
        with contextlib.suppress(httpx.TransportError):
            if httpx.get(f"{url}/api/bridge/status", timeout=2).status_code == 200:
                return
        time.sleep(0.2)
    raise AssertionError(f"cti serve did not answer within {START_TIMEOUT} s:\n{log.read_text()}")
