"""Put the repository's Asterisk configuration into the chroot (at every `up`)."""

from __future__ import annotations

import hashlib
import os
import shutil
import socket
import subprocess
from pathlib import Path

from cti.sandbox.errors import SandboxError
from cti.sandbox.layout import (
    ASTERISK_CONF,
    CONFIG_DIR,
    KEYS_DIR,
    LOG_DIR,
    RUN_DIR,
    Layout,
)

# asterisk.conf belongs to the sandbox, not to the shipped configuration: it only says where the
# configuration (astetcdir) and Asterisk's own files are inside the chroot.
_ASTERISK_CONF = f"""\
[directories]
astetcdir => {CONFIG_DIR}
astmoddir => /usr/lib/x86_64-linux-gnu/asterisk/modules
astvarlibdir => /var/lib/asterisk
astdbdir => /var/lib/asterisk
astkeydir => /var/lib/asterisk
astdatadir => /usr/share/asterisk
astagidir => /usr/share/asterisk/agi-bin
astspooldir => /var/spool/asterisk
astrundir => {RUN_DIR}
astlogdir => {LOG_DIR}
astsbindir => /usr/sbin

[options]
runuser = asterisk
rungroup = asterisk
"""


def fingerprint(dialplans_dir: Path) -> str:
    """A digest of the configuration's files: tells whether a running sandbox has it loaded."""
    digest = hashlib.sha256()
    for conf in sorted(dialplans_dir.glob("*.conf")):
        digest.update(conf.name.encode() + b"\0" + conf.read_bytes() + b"\0")
    return digest.hexdigest()


def install(layout: Layout, dialplans_dir: Path) -> None:
    """Copy dialplans/asterisk/*.conf, write asterisk.conf, and prepare what Asterisk expects."""
    if not dialplans_dir.is_dir():
        raise SandboxError(f"no Asterisk configuration at {dialplans_dir}")
    target = layout.inside(CONFIG_DIR)
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    for conf in sorted(dialplans_dir.glob("*.conf")):
        shutil.copyfile(conf, target / conf.name)
    layout.inside(ASTERISK_CONF).write_text(_ASTERISK_CONF)
    layout.config_stamp.write_text(fingerprint(dialplans_dir) + "\n")
    _write_hosts(layout)
    _prepare_dirs(layout)
    ensure_certificate(layout)


def _asterisk_ids(layout: Layout) -> tuple[int, int]:
    for line in layout.inside_text("/etc/passwd").splitlines():
        fields = line.split(":")
        if fields[0] == "asterisk":
            return int(fields[2]), int(fields[3])
    raise SandboxError("the chroot has no asterisk user; remove it and run `cti sandbox up` again")


def _prepare_dirs(layout: Layout) -> None:
    uid, gid = _asterisk_ids(layout)
    for path in (RUN_DIR, LOG_DIR):
        directory = layout.inside(path)
        directory.mkdir(parents=True, exist_ok=True)
        os.chown(directory, uid, gid)


def _write_hosts(layout: Layout) -> None:
    # Asterisk resolves the machine's own name (RTP/ICE address discovery); without an entry it
    # logs lookup errors on every call.
    name = socket.gethostname()
    layout.inside_path("/etc/hosts").write_text(f"127.0.0.1 localhost {name}\n::1 localhost\n")


def ensure_certificate(layout: Layout) -> None:
    """A self-signed certificate for WSS (http.conf), made once per chroot."""
    keys = layout.inside(KEYS_DIR)
    cert, key = keys / "cti-sandbox.crt", keys / "cti-sandbox.key"
    if cert.is_file() and key.is_file():
        return
    if shutil.which("openssl") is None:
        raise SandboxError("openssl is needed to make the sandbox's TLS certificate")
    keys.mkdir(parents=True, exist_ok=True)
    command = ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "3650"]
    command += ["-subj", "/CN=cti-sandbox", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"]
    command += ["-keyout", str(key), "-out", str(cert)]
    subprocess.run(command, check=True, capture_output=True)
    _, gid = _asterisk_ids(layout)
    os.chown(key, 0, gid)
    key.chmod(0o640)
