"""Where things are: the chroot on the host, and paths as Asterisk sees them inside it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePosixPath

ASTERISK_CONF = PurePosixPath("/etc/cti-bridge/asterisk.conf")
CONFIG_DIR = PurePosixPath("/etc/cti-bridge/asterisk")
KEYS_DIR = PurePosixPath("/etc/asterisk/keys")
LOG_DIR = PurePosixPath("/var/log/asterisk")
CEL_LOG = LOG_DIR / "cti-cel.jsonl"  # dialplans/asterisk/cel_custom.conf
RUN_DIR = PurePosixPath("/run/asterisk")
ASTERISK = PurePosixPath("/usr/sbin/asterisk")


@dataclass(frozen=True)
class Layout:
    base: Path

    @property
    def root(self) -> Path:
        return self.base / "rootfs"

    @property
    def marker(self) -> Path:
        """Written only once debootstrap has finished: its absence means a half-made chroot."""
        return self.base / "rootfs.complete"

    @property
    def pid_file(self) -> Path:
        return self.base / "asterisk.pid"

    @property
    def config_stamp(self) -> Path:
        """The fingerprint of the configuration the running Asterisk was started with."""
        return self.base / "config.sha256"

    @property
    def console_log(self) -> Path:
        return self.base / "asterisk.console.log"

    @property
    def messages_log(self) -> Path:
        return self.inside(LOG_DIR / "messages.log")

    @property
    def cel_log(self) -> Path:
        return self.inside(CEL_LOG)

    def inside(self, path: PurePosixPath) -> Path:
        """The host path of a path inside the chroot."""
        return self.root / path.relative_to("/")

    def inside_path(self, path: str) -> Path:
        return self.inside(PurePosixPath(path))

    def inside_text(self, path: str) -> str:
        return self.inside_path(path).read_text(errors="replace")
