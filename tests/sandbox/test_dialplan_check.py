"""`cti dialplan check` passes on the shipped configuration and fails on a broken copy.

Each check restarts the sandbox's Asterisk; the last test leaves it on the shipped configuration.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from cti.commands.dialplan import dialplan
from cti.sandbox.manager import ConnectionInfo, Sandbox

pytestmark = pytest.mark.asterisk


def test_shipped_configuration_loads_cleanly(asterisk: ConnectionInfo) -> None:
    result = CliRunner().invoke(dialplan, ["check"])
    assert result.exit_code == 0, result.output
    assert "loads cleanly" in result.output


def test_broken_copy_fails_with_the_problem(
    asterisk: ConnectionInfo, sandbox: Sandbox, tmp_path: Path
) -> None:
    broken = tmp_path / "asterisk"
    shutil.copytree(sandbox.settings.dialplans_dir, broken)
    with (broken / "pjsip.conf").open("a") as conf:
        conf.write("\n[1011](agent-endpoint)\nno_such_option = yes\n")
    try:
        result = CliRunner().invoke(dialplan, ["check", "--config", str(broken)])
    finally:
        sandbox.up(show_progress=False)
    assert result.exit_code == 1
    assert "no_such_option" in result.output
