"""Where things are: the chroot on the host, and paths as Asterisk sees them inside it.

Instance 1 is the sandbox as it always was. Instance N > 1 (a second PBX for tests of several
PBXs, `cti sandbox up --instances 2`) runs in the same chroot with its own configuration, run,
log, spool and astdb directories, pid file and ports (`Ports.of(N)`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePosixPath

ASTERISK_CONF = PurePosixPath("/etc/cti-bridge/asterisk.conf")
CONFIG_DIR = PurePosixPath("/etc/cti-bridge/asterisk")
KEYS_DIR = PurePosixPath("/etc/asterisk/keys")
LOG_DIR = PurePosixPath("/var/log/asterisk")
CEL_LOG = LOG_DIR / "cti-cel.jsonl"  # dialplans/asterisk/cel_custom.conf
RUN_DIR = PurePosixPath("/run/asterisk")
SPOOL_DIR = PurePosixPath("/var/spool/asterisk")
VARLIB_DIR = PurePosixPath("/var/lib/asterisk")
ASTERISK = PurePosixPath("/usr/sbin/asterisk")


@dataclass(frozen=True)
class Ports:
    """The ports one instance listens on or expects (the shipped configuration's: instance 1)."""

    ami: int = 5038
    sip: int = 5060
    http: int = 8088
    https: int = 8089
    agi: int = 4573
    carrier: int = 5080  # the trunk's contact (the simulator's carrier)
    rtp_start: int = 10000
    rtp_end: int = 20000

    @classmethod
    def of(cls, instance: int) -> Ports:
        if instance == 1:
            return cls()
        step = instance - 1  # instance 2: 5039, 5062, 8090/8091, 4574, carrier 5082, RTP 20002+
        return cls(
            ami=5038 + step, sip=5060 + 2 * step, http=8088 + 2 * step, https=8089 + 2 * step,
            agi=4573 + step, carrier=5080 + 2 * step, rtp_start=20000 + 2 * step * 1000 + 2,
            rtp_end=20000 + 2 * step * 1000 + 1998,
        )  # fmt: skip


@dataclass(frozen=True)
class Layout:
    base: Path
    instance: int = 1

    def _named(self, path: PurePosixPath) -> PurePosixPath:
        return path if self.instance == 1 else path.with_name(f"{path.name}-{self.instance}")

    def _file(self, name: str) -> Path:
        stem, dot, suffix = name.partition(".")
        return self.base / (name if self.instance == 1 else f"{stem}-{self.instance}{dot}{suffix}")

    @property
    def ports(self) -> Ports:
        return Ports.of(self.instance)

    @property
    def asterisk_conf(self) -> PurePosixPath:
        if self.instance == 1:
            return ASTERISK_CONF
        return ASTERISK_CONF.with_name(f"asterisk-{self.instance}.conf")

    @property
    def config_dir(self) -> PurePosixPath:
        return self._named(CONFIG_DIR)

    @property
    def log_dir(self) -> PurePosixPath:
        return self._named(LOG_DIR)

    @property
    def run_dir(self) -> PurePosixPath:
        return self._named(RUN_DIR)

    @property
    def spool_dir(self) -> PurePosixPath:
        return self._named(SPOOL_DIR)

    @property
    def varlib_dir(self) -> PurePosixPath:
        return self._named(VARLIB_DIR)

    @property
    def root(self) -> Path:
        return self.base / "rootfs"

    @property
    def marker(self) -> Path:
        """Written only once debootstrap has finished: its absence means a half-made chroot."""
        return self.base / "rootfs.complete"

    @property
    def pid_file(self) -> Path:
        return self._file("asterisk.pid")

    @property
    def config_stamp(self) -> Path:
        """The fingerprint of the configuration the running Asterisk was started with."""
        return self._file("config.sha256")

    @property
    def console_log(self) -> Path:
        return self._file("asterisk.console.log")

    @property
    def messages_log(self) -> Path:
        return self.inside(self.log_dir / "messages.log")

    @property
    def cel_log(self) -> Path:
        return self.inside(self.log_dir / CEL_LOG.name)

    def inside(self, path: PurePosixPath) -> Path:
        """The host path of a path inside the chroot."""
        return self.root / path.relative_to("/")

    def inside_path(self, path: str) -> Path:
        return self.inside(PurePosixPath(path))

    def inside_text(self, path: str) -> str:
        return self.inside_path(path).read_text(errors="replace")
