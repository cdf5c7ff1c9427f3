"""The sandbox's instance 2 (a second PBX in the same chroot): its own ports, directories and
configuration copy, made from the shipped dialplans/asterisk (no Asterisk needed here; the
running pair is tests/scale/test_pbx_asterisk.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from cti.sandbox.config import _for_instance, asterisk_conf
from cti.sandbox.errors import SandboxError
from cti.sandbox.layout import Layout, Ports
from cti.sandbox.settings import SandboxSettings, for_instance

SHIPPED = Path(__file__).resolve().parents[2] / "dialplans" / "asterisk"


def test_instance_two_listens_elsewhere_and_keeps_its_files_apart(tmp_path: Path) -> None:
    one, two = Layout(tmp_path), Layout(tmp_path, 2)
    first, second = Ports.of(1), Ports.of(2)
    assert (second.ami, second.sip, second.agi, second.https) == (5039, 5062, 4574, 8091)
    assert second.rtp_start > first.rtp_end
    assert two.pid_file != one.pid_file
    assert two.cel_log != one.cel_log
    conf = asterisk_conf(two)
    for line in ("astetcdir => /etc/cti-bridge/asterisk-2", "astrundir => /run/asterisk-2",
                 "astlogdir => /var/log/asterisk-2", "astspooldir => /var/spool/asterisk-2",
                 "astdbdir => /var/lib/asterisk-2"):  # fmt: skip
        assert line in conf
    assert "astetcdir => /etc/cti-bridge/asterisk\n" in asterisk_conf(one)


def test_the_shipped_configuration_is_rewritten_for_instance_two(tmp_path: Path) -> None:
    two = Layout(tmp_path, 2)
    texts = {p.name: _for_instance(two, p.name, p.read_text()) for p in SHIPPED.glob("*.conf")}
    assert "port = 5039" in texts["manager.conf"]
    assert "bind = 127.0.0.1:5062" in texts["pjsip.conf"]
    assert "contact = sip:127.0.0.1:5082" in texts["pjsip.conf"]
    assert "agi://127.0.0.1:4574/route" in texts["extensions.conf"]
    assert "[/var/log/asterisk-2/cti-cel.jsonl]" in texts["cel_custom.conf"]
    one = Layout(tmp_path)
    assert _for_instance(one, "pjsip.conf", "bind = 127.0.0.1:5060") == "bind = 127.0.0.1:5060"
    with pytest.raises(SandboxError, match=r"manager\.conf"):
        _for_instance(two, "manager.conf", "; a manager.conf without a port")


def test_instance_settings_reach_its_ports() -> None:
    settings = for_instance(SandboxSettings.from_env({}), 2)
    assert (settings.ami.port, settings.agi_port) == (5039, 4574)
    assert settings.account("simulator").port == 5039
