"""Where `cti serve` finds the agent page: CTI_WEB_DIR, the wheel's copy, a checkout's build."""

from __future__ import annotations

from pathlib import Path

import pytest

import cti.app
from cti.app import CHECKOUT_PAGE, softphone_dir
from cti.settings import BridgeSettings


def test_cti_web_dir_wins(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("CTI_WEB_DIR", str(tmp_path))
    assert softphone_dir(BridgeSettings().web_dir) == tmp_path


def test_a_checkout_serves_its_own_build() -> None:
    assert softphone_dir("") == CHECKOUT_PAGE


def test_the_wheels_copy_comes_before_a_checkout(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    packaged = tmp_path / "web_dist"
    packaged.mkdir()
    (packaged / "index.html").write_text("<!doctype html>")
    monkeypatch.setattr(cti.app, "PACKAGED_PAGE", packaged)
    assert softphone_dir("") == packaged
