"""The wheel, built once per session and installed into a fresh virtualenv (tests/install)."""

from __future__ import annotations

import pytest

from tests.install.wheel import Installed, build_wheel, install


@pytest.fixture(scope="session")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    base = tmp_path_factory.mktemp("installed")
    return install(build_wheel(base / "wheelhouse"), base / "venv")
