"""`cti dialplan check`: boot Asterisk on a configuration and collect every warning or error."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from cti.sandbox.errors import SandboxError
from cti.sandbox.manager import Sandbox

_PROBLEM = re.compile(r"\b(WARNING|ERROR)\[")


def problems_in(log: str) -> list[str]:
    return [line for line in log.splitlines() if _PROBLEM.search(line)]


def check_config(sandbox: Sandbox, dialplans_dir: Path | None = None) -> list[str]:
    """Start the sandbox on the configuration (the repository's unless given) and return the
    WARNING/ERROR lines Asterisk logged while loading it. A boot that fails is one problem."""
    target = sandbox
    if dialplans_dir is not None:
        settings = dataclasses.replace(sandbox.settings, dialplans_dir=dialplans_dir)
        target = Sandbox(settings)
    try:
        target.up(show_progress=False)
    except SandboxError as exc:
        return [*problems_in(target.boot_log()), f"Asterisk did not start: {exc}"]
    return problems_in(target.boot_log())
