"""dialplans/systemd/cti-bridge.service, the unit for a pip install on or next to the PBX:
systemd-analyze accepts it (its ExecStart pointed at a real installed `cti`), it runs the
image's command as an unprivileged user, and its environment file sets only settings the
service reads, with values it accepts (issue 19)."""

from __future__ import annotations

import configparser
import subprocess
from pathlib import Path

import pytest

from tests.install.dockerfile import stage
from tests.install.settings_catalog import every_env_name, settings_classes
from tests.install.wheel import ROOT, Installed

SYSTEMD = ROOT / "dialplans" / "systemd"
UNIT = SYSTEMD / "cti-bridge.service"
ENV_FILE = SYSTEMD / "cti-bridge.env"


def unit() -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read_string(UNIT.read_text())
    return parser


def env_file() -> dict[str, str]:
    lines = [line for line in ENV_FILE.read_text().splitlines() if line and line[0] != "#"]
    return dict(line.split("=", 1) for line in lines)


def test_the_unit_runs_the_images_command_as_an_unprivileged_user() -> None:
    service = unit()["Service"]
    program, *arguments = service["ExecStart"].split()
    assert [Path(program).name, *arguments] == stage("runtime").command
    assert service["User"] not in {"root", "0"}
    assert Path(service["EnvironmentFile"]).name == ENV_FILE.name
    state = f"/var/lib/{service['StateDirectory']}"
    assert service["WorkingDirectory"] == state == env_file()["CTI_VAR_DIR"]
    assert service["NoNewPrivileges"] == "yes"


def test_the_environment_file_sets_only_settings_the_service_reads(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    values = env_file()
    assert sorted(set(values) - every_env_name()) == []
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    for settings_class in settings_classes():
        settings_class()  # raises on a value the service would refuse at start


def test_systemd_analyze_accepts_the_unit(installed: Installed, tmp_path: Path) -> None:
    program = unit()["Service"]["ExecStart"].split()[0]
    copy = tmp_path / UNIT.name
    copy.write_text(UNIT.read_text().replace(program, str(installed.cti)))
    done = subprocess.run(
        ["systemd-analyze", "verify", str(copy)], capture_output=True, text=True, timeout=60
    )
    assert (done.returncode, done.stderr) == (0, "")
