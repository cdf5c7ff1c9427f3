"""Provisioning says clearly when this machine cannot build the sandbox, and what to do instead."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from cti.sandbox import provision
from cti.sandbox.errors import SandboxError
from cti.sandbox.layout import Layout
from cti.sandbox.mirror import check_reachable


def test_not_root_is_refused_with_the_alternative(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr("os.geteuid", lambda: 1000)
    with pytest.raises(SandboxError, match="needs root") as raised:
        provision.provision(Layout(tmp_path), show_progress=False)
    assert "CTI_AMI_HOST" in str(raised.value)


def test_missing_debootstrap_says_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr("os.geteuid", lambda: 0)
    monkeypatch.setattr(shutil, "which", lambda _name: None)
    with pytest.raises(SandboxError, match="apt-get install -y debootstrap"):
        provision.provision(Layout(tmp_path), show_progress=False)


def test_unreachable_mirror_is_reported() -> None:
    with pytest.raises(SandboxError, match="cannot reach the Debian mirror"):
        check_reachable("http://127.0.0.1:9/debian", timeout=2)


def test_a_chroot_without_the_completion_marker_is_not_reused(tmp_path: Path) -> None:
    layout = Layout(tmp_path)
    (layout.root / "usr/sbin").mkdir(parents=True)
    (layout.root / "usr/sbin/asterisk").write_bytes(b"")
    assert not provision.is_provisioned(layout)
    layout.marker.write_text("{}\n")
    assert provision.is_provisioned(layout)
