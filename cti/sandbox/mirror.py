"""The Debian mirror this machine already uses, read from its apt sources."""

from __future__ import annotations

import urllib.error
import urllib.request
from pathlib import Path

from cti.sandbox.errors import SandboxError

APT_SOURCES = (Path("/etc/apt/sources.list.d"), Path("/etc/apt/sources.list"))


def _source_files(paths: tuple[Path, ...]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(p for p in path.iterdir() if p.suffix in (".sources", ".list"))
        elif path.is_file():
            files.append(path)
    return files


def _uris(text: str) -> list[str]:
    """URIs from deb822 (`URIs: ...`) and one-line (`deb URI suite ...`) formats."""
    found: list[str] = []
    for line in text.splitlines():
        words = line.split()
        if words[:1] == ["URIs:"]:
            found += words[1:]
        elif words[:1] == ["deb"]:
            found += [word for word in words[1:] if "://" in word][:1]
    return found


def debian_mirror(paths: tuple[Path, ...] = APT_SOURCES) -> str:
    """The first source whose path ends in /debian (the main archive, not -security)."""
    for path in _source_files(paths):
        for uri in _uris(path.read_text(errors="replace")):
            if uri.rstrip("/").endswith("/debian"):
                return uri.rstrip("/")
    raise SandboxError(
        "no Debian mirror found in the apt sources (" + ", ".join(map(str, paths)) + ")"
    )


def check_reachable(mirror: str, timeout: float = 15) -> None:
    url = f"{mirror}/dists/sid/InRelease"
    try:
        with urllib.request.urlopen(urllib.request.Request(url, method="HEAD"), timeout=timeout):
            return
    except (urllib.error.URLError, OSError) as exc:
        raise SandboxError(f"cannot reach the Debian mirror {url}: {exc}") from exc
