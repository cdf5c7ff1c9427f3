"""How `make test` shares the suite between pytest-xdist workers.

Each test file goes to one worker whole, so a module's fixtures are built once. Every file with a
test that needs the sandbox Asterisk goes to one worker, first: its session holds the sandbox's
lock to the end, two bridges on one Asterisk would see each other's calls, and those tests are the
longest chain. A worker names those files in a small file beside the controller's process id, since
the controller itself collects nothing (xdist's own `xdist_group` mark does not reach the scheduler
under pytest 9). A worker lowers its own CPU priority before its first test that does not need
the sandbox: the sandbox's tests wait on real calls with real timers (ring times, answer delays),
and on this 2-core machine a page or a fuzz test beside them must not make a phone answer late.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest

SANDBOX_SCOPE = "asterisk"


def _handoff_dir(controller_pid: int) -> Path:
    return Path(tempfile.gettempdir()) / f"cti-xdist-{controller_pid}"


def _file_of(nodeid: str) -> str:
    return nodeid.split("::", 1)[0]


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The sandbox's tests first; on a worker, name their files for the controller."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker is None:
        return
    needs_sandbox = [item for item in items if item.get_closest_marker("asterisk")]
    items[:] = needs_sandbox + [item for item in items if not item.get_closest_marker("asterisk")]
    handoff = _handoff_dir(os.getppid())
    handoff.mkdir(exist_ok=True)
    files = sorted({_file_of(item.nodeid) for item in needs_sandbox})
    (handoff / f"{worker}.txt").write_text("\n".join(files))


_NICER = 10
_lowered: list[bool] = []


def pytest_runtest_setup(item: pytest.Item) -> None:
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker and not _lowered and not item.get_closest_marker("asterisk"):
        os.nice(_NICER)
        _lowered.append(True)


def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    from xdist.scheduler import LoadScopeScheduling

    class SandboxFirstScheduling(LoadScopeScheduling):  # type: ignore[misc]
        _sandbox_files: set[str] | None = None

        def _split_scope(self, nodeid: str) -> str:
            if self._sandbox_files is None:
                handoff = _handoff_dir(os.getpid())
                self._sandbox_files = {
                    line for path in handoff.glob("*.txt") for line in path.read_text().split()
                }
            test_file = _file_of(nodeid)
            return SANDBOX_SCOPE if test_file in self._sandbox_files else test_file

    config.option.loadscopereorder = False  # keep the collection's order: the sandbox first
    return SandboxFirstScheduling(config, log)


def pytest_unconfigure(config: pytest.Config) -> None:
    if not hasattr(config, "workerinput"):
        shutil.rmtree(_handoff_dir(os.getpid()), ignore_errors=True)
