"""Put the repository's Asterisk configuration into the chroot (at every `up`)."""

from __future__ import annotations

import hashlib
import os
import shutil
import socket
import subprocess
from pathlib import Path

from cti.sandbox.errors import SandboxError
from cti.sandbox.layout import CEL_LOG, KEYS_DIR, VARLIB_DIR, Layout, Ports


# asterisk.conf belongs to the sandbox, not to the shipped configuration: it only says where the
# configuration (astetcdir) and Asterisk's own files are inside the chroot.
def asterisk_conf(layout: Layout) -> str:
    return f"""\
[directories]
astetcdir => {layout.config_dir}
astmoddir => /usr/lib/x86_64-linux-gnu/asterisk/modules
astvarlibdir => {VARLIB_DIR}
astdbdir => {layout.varlib_dir}
astkeydir => {VARLIB_DIR}
astdatadir => /usr/share/asterisk
astagidir => /usr/share/asterisk/agi-bin
astspooldir => {layout.spool_dir}
astrundir => {layout.run_dir}
astlogdir => {layout.log_dir}
astsbindir => /usr/sbin

[options]
runuser = asterisk
rungroup = asterisk
"""


def _for_instance(layout: Layout, name: str, text: str) -> str:
    """The shipped file as instance N > 1 runs it: its own ports and CEL log."""
    if layout.instance == 1:
        return text
    first, mine = Ports.of(1), layout.ports
    swaps = {
        "manager.conf": [(f"port = {first.ami}", f"port = {mine.ami}")],
        "pjsip.conf": [
            (f"127.0.0.1:{first.sip}", f"127.0.0.1:{mine.sip}"),
            (f"sip:127.0.0.1:{first.carrier}", f"sip:127.0.0.1:{mine.carrier}"),
        ],
        "http.conf": [
            (f"bindport = {first.http}", f"bindport = {mine.http}"),
            (f"127.0.0.1:{first.https}", f"127.0.0.1:{mine.https}"),
        ],
        "rtp.conf": [
            (f"rtpstart = {first.rtp_start}", f"rtpstart = {mine.rtp_start}"),
            (f"rtpend = {first.rtp_end}", f"rtpend = {mine.rtp_end}"),
        ],
        "extensions.conf": [(f"127.0.0.1:{first.agi}/", f"127.0.0.1:{mine.agi}/")],
        "cel_custom.conf": [(f"[{CEL_LOG}]", f"[{layout.log_dir / CEL_LOG.name}]")],
    }
    for old, new in swaps.get(name, []):
        if old not in text:
            raise SandboxError(f"{name}: {old!r} not found; instance {layout.instance} needs it")
        text = text.replace(old, new)
    return text


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
    target = layout.inside(layout.config_dir)
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    for conf in sorted(dialplans_dir.glob("*.conf")):
        (target / conf.name).write_text(_for_instance(layout, conf.name, conf.read_text()))
    layout.inside(layout.asterisk_conf).write_text(asterisk_conf(layout))
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
    for path in (layout.run_dir, layout.log_dir, layout.spool_dir, layout.varlib_dir):
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
