"""The sandbox as one object: provision, start, stop, inspect.

Used by the CLI, the tests' `asterisk` fixture and `make run`.
"""

from __future__ import annotations

import contextlib
import fcntl
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass

from cti.sandbox import config, process, provision
from cti.sandbox.booting import wait_fully_booted
from cti.sandbox.errors import SandboxError
from cti.sandbox.layout import ASTERISK, Layout
from cti.sandbox.settings import AmiAccount, SandboxSettings, for_instance


@dataclass(frozen=True)
class SandboxStatus:
    provisioned: bool
    running: bool
    pid: int | None
    root: str


@dataclass(frozen=True)
class ConnectionInfo:
    """What a client needs to talk to the sandbox's Asterisk."""

    ami: AmiAccount
    agi_port: int
    sip_host: str = "127.0.0.1"
    sip_port: int = 5060

    @property
    def host(self) -> str:
        return self.ami.host

    @property
    def port(self) -> int:
        return self.ami.port

    @property
    def user(self) -> str:
        return self.ami.user

    @property
    def secret(self) -> str:
        return self.ami.secret


class Sandbox:
    """Instance 1: the sandbox Asterisk. Instance N > 1: another Asterisk of the same chroot
    with its own configuration copy, directories and ports (cti/sandbox/layout.py), a second
    PBX for several-PBX tests."""

    def __init__(self, settings: SandboxSettings, instance: int = 1) -> None:
        self.settings = for_instance(settings, instance)
        self.instance = instance
        self.layout = Layout(settings.cache_dir, instance)

    def ensure_provisioned(self, show_progress: bool = True) -> None:
        provision.provision(self.layout, show_progress)

    def up(self, show_progress: bool = True) -> ConnectionInfo:
        """Start Asterisk with the repository's configuration (restarting it if it runs)."""
        self.ensure_provisioned(show_progress)
        with self._exclusive():
            return self._restart()

    @contextlib.contextmanager
    def _exclusive(self) -> Iterator[None]:
        """One start or stop at a time across processes (tests, `make run`, the CLI)."""
        self.layout.base.mkdir(parents=True, exist_ok=True)
        with (self.layout.base / "sandbox.lock").open("w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            yield

    def _restart(self) -> ConnectionInfo:
        process.stop(self.layout)
        config.install(self.layout, self.settings.dialplans_dir)
        self._log_mark = self.log_size()
        pid = process.start(self.layout)
        try:
            wait_fully_booted(
                self.settings.ami, self.settings.boot_timeout, lambda: process.is_alive(pid)
            )
        except SandboxError as exc:
            raise SandboxError(f"{exc}; console output:\n{self.console_tail()}") from exc
        return self.connection_info()

    def ensure_up(self, show_progress: bool = True) -> ConnectionInfo:
        """Like up(), but keep an Asterisk that already runs this exact configuration (so several
        test sessions can share one sandbox)."""
        self.ensure_provisioned(show_progress)
        with self._exclusive():
            if self._runs_alone() and self._runs_current_config():
                return self.connection_info()
            return self._restart()

    def _runs_alone(self) -> bool:
        """The recorded Asterisk runs, and no other Asterisk runs in the chroot."""
        pid = process.running_pid(self.layout)
        return pid is not None and process.strays(self.layout) == [pid]

    def _runs_current_config(self) -> bool:
        stamp = self.layout.config_stamp
        loaded = stamp.read_text().strip() if stamp.exists() else ""
        return loaded == config.fingerprint(self.settings.dialplans_dir)

    def down(self) -> bool:
        """Stop Asterisk. False if it was not running."""
        with self._exclusive():
            return process.stop(self.layout)

    def status(self) -> SandboxStatus:
        pid = process.running_pid(self.layout)
        provisioned = provision.is_provisioned(self.layout)
        return SandboxStatus(provisioned, pid is not None, pid, str(self.layout.root))

    def cli(self, command: str, timeout: float = 30) -> str:
        """Run an Asterisk CLI command (`asterisk -rx`) and return its output."""
        if process.running_pid(self.layout) is None:
            raise SandboxError("the sandbox is not running: `cti sandbox up` first")
        conf = str(self.layout.asterisk_conf)
        argv = ["chroot", str(self.layout.root), str(ASTERISK), "-C", conf]
        result = subprocess.run(
            [*argv, "-rx", command], capture_output=True, text=True, timeout=timeout, check=False
        )
        if result.returncode != 0:
            raise SandboxError(f"asterisk -rx failed: {result.stderr.strip() or result.stdout}")
        return result.stdout

    def connection_info(self) -> ConnectionInfo:
        sip = self.layout.ports.sip
        return ConnectionInfo(self.settings.ami, self.settings.agi_port, sip_port=sip)

    def log_size(self) -> int:
        path = self.layout.messages_log
        return path.stat().st_size if path.exists() else 0

    def log_since(self, offset: int) -> str:
        """Asterisk's messages.log from a byte offset (see log_size)."""
        path = self.layout.messages_log
        if not path.exists():
            return ""
        with path.open("rb") as log:
            log.seek(offset)
            return log.read().decode("utf-8", errors="replace")

    def boot_log(self) -> str:
        """What Asterisk logged since the last `up` began."""
        return self.log_since(getattr(self, "_log_mark", 0))

    def console_tail(self, lines: int = 30) -> str:
        path = self.layout.console_log
        if not path.exists():
            return ""
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
