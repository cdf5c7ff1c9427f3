"""One `cti serve` process of the fault harness: its own database, HTTP port, log and (for a
bridge under test) proxies in front of AMI, the database and Redis.

The process is started exactly as an operator would (`cti serve`, CTI_* environment, no
sandbox management, no FastAGI server), so SIGKILL and restart are the real thing.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from bench.common.faults_proxy import FaultProxy
from bench.common.faults_records import DatabaseTarget

ROOT = Path(__file__).resolve().parents[2]
CTI = ROOT / ".venv" / "bin" / "cti"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class BridgeProcess:
    """`name` is used for the log file and the table; `ami_port`, `database_url` and `bus_url` are
    what this bridge is told (a proxy's address for a bridge under test)."""

    name: str
    workdir: Path
    database: DatabaseTarget
    ami_port: int
    bus_url: str = "memory://"
    cel_path: str = ""  # Asterisk's CEL log (CTI_CEL_PATH): how a gap is settled
    role: str = "all"  # `cti serve --role`: an ingest pair (bench/common/scale_takeover.py)
    extra_env: dict[str, str] = field(default_factory=dict)
    http_port: int = field(default_factory=free_port)
    ami_proxy: FaultProxy | None = None
    db_proxy: FaultProxy | None = None
    bus_proxy: FaultProxy | None = None
    process: subprocess.Popen[bytes] | None = None
    starts: int = 0
    _log: IO[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    @property
    def log_path(self) -> Path:
        return self.workdir / f"{self.name}.log"

    def environment(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            {
                "CTI_DATABASE_URL": self.database.served_url,
                "CTI_VAR_DIR": str(self.workdir / f"{self.name}-var"),
                "CTI_SECRET_KEY": "faults-harness-secret",
                "CTI_HTTP_HOST": "127.0.0.1",
                "CTI_HTTP_PORT": str(self.http_port),
                "CTI_AMI_HOST": "127.0.0.1",
                "CTI_AMI_PORT": str(self.ami_port),
                "CTI_BUS_URL": self.bus_url,
                "CTI_CEL_PATH": self.cel_path,
                "CTI_SANDBOX": "false",
                "CTI_AGI_ENABLED": "false",
                "CTI_CALLBACK_AUTO_DIAL": "false",  # the bridge must not place calls of its own
            }
        )
        env.update(self.extra_env)
        return env

    def start(self) -> None:
        if self._log is None:
            self._log = self.log_path.open("ab")
        self._log.write(f"\n==== start {self.starts + 1} ====\n".encode())
        self._log.flush()
        self.process = subprocess.Popen(
            [str(CTI), "serve", "--role", self.role],
            env=self.environment(),
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.starts += 1

    def kill(self) -> None:
        """SIGKILL: no shutdown code runs, nothing is flushed."""
        if self.process is not None and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.kill()
        if self._log is not None:
            self._log.close()
            self._log = None

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    async def status(self) -> dict[str, Any] | None:
        """GET /api/bridge/status, or None when the bridge does not answer."""
        return await asyncio.to_thread(_get_json, f"{self.url}/api/bridge/status")

    async def wait_connected(self, timeout: float = 60) -> None:
        deadline = asyncio.get_running_loop().time() + timeout
        while asyncio.get_running_loop().time() < deadline:
            if not self.alive:
                raise RuntimeError(f"bridge {self.name} exited; see {self.log_path}")
            status = await self.status()
            if status is not None and status.get("state") == "connected":
                return
            await asyncio.sleep(0.3)
        raise TimeoutError(f"bridge {self.name} did not connect to AMI; see {self.log_path}")


def _get_json(url: str) -> dict[str, Any] | None:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            body: dict[str, Any] = json.loads(response.read())
            return body
    except (OSError, ValueError):
        return None


def unique_name(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:6]}"
