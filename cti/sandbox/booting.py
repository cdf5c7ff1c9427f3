"""Wait until Asterisk answers on AMI and reports FullyBooted."""

from __future__ import annotations

import socket
import time
from collections.abc import Callable

from cti.sandbox.errors import SandboxError
from cti.sandbox.settings import AmiAccount


def _login(account: AmiAccount) -> bytes:
    return (
        f"Action: Login\r\nUsername: {account.user}\r\nSecret: {account.secret}\r\n"
        "Events: system\r\n\r\n"
    ).encode()


def _fully_booted(account: AmiAccount, timeout: float) -> bool:
    with socket.create_connection((account.host, account.port), timeout=timeout) as sock:
        sock.sendall(_login(account))
        received = b""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            chunk = sock.recv(65536)
            if not chunk:
                return False
            received += chunk
            if b"Authentication failed" in received:
                raise SandboxError(f"AMI refused the login of user {account.user!r}")
            if b"Event: FullyBooted" in received:
                return True
    return False


def wait_fully_booted(account: AmiAccount, timeout: float, alive: Callable[[], bool]) -> None:
    """Poll AMI until FullyBooted; give up early if the process died."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not alive():
            raise SandboxError("Asterisk exited while starting")
        try:
            if _fully_booted(account, timeout=5):
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise SandboxError(f"Asterisk did not report FullyBooted within {timeout:.0f} s")
