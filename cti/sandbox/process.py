"""Run Asterisk in the chroot in the background, with its pid recorded, and stop it by that pid."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import time
from pathlib import Path

from cti.sandbox.layout import ASTERISK, Layout


def start(layout: Layout) -> int:
    """Spawn `chroot ROOT asterisk -f` in its own session (Ctrl-C in a terminal does not reach
    it), output appended to the console log; record and return its pid."""
    # stdbuf: Asterisk's console output goes to a file, block-buffered unless told otherwise, and
    # a failed start would leave nothing to read.
    asterisk = [str(ASTERISK), "-f", "-n", "-C", str(layout.asterisk_conf)]
    command = ["chroot", str(layout.root), "/usr/bin/stdbuf", "-oL", "-eL", *asterisk]
    append = os.O_WRONLY | os.O_CREAT | os.O_APPEND
    files: list[tuple[int, ...] | tuple[int, int, str, int, int]] = [
        (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
        (os.POSIX_SPAWN_OPEN, 1, str(layout.console_log), append, 0o644),
        (os.POSIX_SPAWN_DUP2, 1, 2),
    ]
    files += [(os.POSIX_SPAWN_CLOSE, fd) for fd in _inherited_fds()]
    pid = os.posix_spawnp("chroot", command, os.environ, file_actions=files, setsid=True)
    layout.pid_file.write_text(f"{pid}\n")
    return pid


def _inherited_fds() -> list[int]:
    """Open descriptors above stderr. Asterisk outlives its starter: it must not keep the
    starter's files open (a `flock` lock held by a test runner would never be released)."""
    fds = [int(name) for name in os.listdir("/proc/self/fd")]
    return [fd for fd in fds if fd > 2 and _is_open(fd)]


def _is_open(fd: int) -> bool:
    try:
        os.fstat(fd)
    except OSError:
        return False  # the descriptor listdir itself used
    return True


def running_pid(layout: Layout) -> int | None:
    """The recorded pid, if that process is still an Asterisk and alive."""
    try:
        pid = int(layout.pid_file.read_text().strip())
    except (OSError, ValueError):
        return None
    return pid if _is_live_asterisk(pid, layout) else None


def is_alive(pid: int) -> bool:
    """Has the process this process started not exited yet? (No look at its command line: it
    changes, and reads empty for an instant, while chroot and stdbuf exec into Asterisk.)"""
    try:
        exited, _ = os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return _state(pid) not in ("", "Z")
    return exited == 0


def stop(layout: Layout, timeout: float = 20) -> bool:
    """SIGTERM (Asterisk shuts down cleanly), SIGKILL after `timeout`. False if none was running.

    Stops the recorded Asterisk and any other Asterisk running in this chroot (one left behind by
    a start that raced another), so that a new start never finds the ports taken.
    """
    pids = set(strays(layout))
    recorded = running_pid(layout)
    if recorded is not None:
        pids.add(recorded)
    for pid in pids:
        _terminate(pid, timeout, layout)
    # Asterisk's last threads close the AMI listener and the control socket after the main
    # process looks gone; a new Asterisk started before that exits with "already running".
    _wait_port_free(layout.ports.ami, timeout=10)
    layout.pid_file.unlink(missing_ok=True)
    return bool(pids)


def strays(layout: Layout) -> list[int]:
    """Live Asterisk processes of this instance (its asterisk.conf) whose root directory is this
    chroot: another instance of the same chroot is not a stray."""
    root = os.path.realpath(layout.root)
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or _root_of(int(entry)) != root:
            continue
        if _is_live_asterisk(int(entry), layout):
            found.append(int(entry))
    return found


def _root_of(pid: int) -> str:
    try:
        return os.readlink(f"/proc/{pid}/root")
    except OSError:
        return ""


def _terminate(pid: int, timeout: float, layout: Layout) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGTERM)
    if not _wait_gone(pid, timeout, layout):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        _wait_gone(pid, 5, layout)


def _wait_port_free(port: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            probe.settimeout(0.5)
            if probe.connect_ex(("127.0.0.1", port)) != 0:
                return
        time.sleep(0.1)


def _is_live_asterisk(pid: int, layout: Layout) -> bool:
    """An Asterisk of this instance: instance 1 is any Asterisk not started with another
    instance's asterisk-N.conf."""
    _reap(pid)
    if _state(pid) in ("", "Z"):
        return False
    argv = _cmdline(pid).split(b"\0")
    if str(ASTERISK).encode() not in argv:
        return False
    confs = [argv[i + 1] for i, arg in enumerate(argv[:-1]) if arg == b"-C"]
    mine = str(layout.asterisk_conf).encode()
    return mine in confs if layout.instance > 1 else all(c == mine for c in confs)


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return ""


def _cmdline(pid: int) -> bytes:
    # Read empty during an exec: look again a moment later.
    for _ in range(3):
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            return b""
        if cmdline:
            return cmdline
        time.sleep(0.05)
    return b""


def _reap(pid: int) -> None:
    """If this process started Asterisk, collect its exit status (no zombie left behind)."""
    with contextlib.suppress(ChildProcessError, OSError):
        os.waitpid(pid, os.WNOHANG)


def _wait_gone(pid: int, timeout: float, layout: Layout) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not _is_live_asterisk(pid, layout):
            return True
        time.sleep(0.1)
    return False
