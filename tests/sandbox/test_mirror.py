"""The Debian mirror comes from the machine's apt sources, in either format."""

from __future__ import annotations

from pathlib import Path

import pytest

from cti.sandbox.errors import SandboxError
from cti.sandbox.mirror import debian_mirror

DEB822 = """\
Types: deb
URIs: http://mirror.example/debian-security
Suites: bookworm-security

Types: deb
URIs: http://mirror.example/debian/
Suites: bookworm
"""


def test_deb822_sources_give_the_main_archive(tmp_path: Path) -> None:
    (tmp_path / "debian.sources").write_text(DEB822)
    assert debian_mirror((tmp_path,)) == "http://mirror.example/debian"


def test_one_line_sources_list(tmp_path: Path) -> None:
    sources = tmp_path / "sources.list"
    sources.write_text("deb [arch=amd64] http://other.example/debian bookworm main\n")
    assert debian_mirror((tmp_path / "none", sources)) == "http://other.example/debian"


def test_no_debian_source_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "node.list").write_text("deb https://deb.nodesource.com/node_20.x nodistro main\n")
    with pytest.raises(SandboxError, match="no Debian mirror"):
        debian_mirror((tmp_path,))
