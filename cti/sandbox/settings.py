"""Where the sandbox lives and how its AMI is reached, from the environment."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from cti.sandbox.layout import Ports

REPO_ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class AmiAccount:
    host: str
    port: int
    user: str
    secret: str


@dataclass(frozen=True)
class SandboxSettings:
    """CTI_SANDBOX_DIR moves the cache (default ~/.cache/cti-bridge), CTI_DIALPLANS_DIR the
    configuration (default dialplans/asterisk/)."""

    cache_dir: Path
    dialplans_dir: Path
    ami: AmiAccount
    agi_port: int = 4573
    boot_timeout: float = 60.0

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> SandboxSettings:
        cache = environ.get("CTI_SANDBOX_DIR") or str(Path.home() / ".cache" / "cti-bridge")
        dialplans = environ.get("CTI_DIALPLANS_DIR") or str(REPO_ROOT / "dialplans" / "asterisk")
        ami = AmiAccount(
            host=environ.get("CTI_AMI_HOST", "127.0.0.1"),
            port=int(environ.get("CTI_AMI_PORT", "5038")),
            user=environ.get("CTI_AMI_USER", "cti"),
            secret=environ.get("CTI_AMI_SECRET", "cti-secret"),
        )
        return cls(Path(cache).expanduser(), Path(dialplans), ami)

    def account(self, user: str) -> AmiAccount:
        """Another AMI user of the shipped manager.conf (recorder, simulator, monitor)."""
        return AmiAccount(self.ami.host, self.ami.port, user, f"{user}-secret")


def for_instance(settings: SandboxSettings, instance: int) -> SandboxSettings:
    """Instance N > 1 of the sandbox: the same accounts on that instance's AMI and hook ports."""
    if instance == 1:
        return settings
    ports = Ports.of(instance)
    ami = replace(settings.ami, port=ports.ami)
    return replace(settings, ami=ami, agi_port=ports.agi)
