"""File names from the PBX are never trusted: only a plain name, resolved inside the directory.

A VarSet's MIXMONITOR_FILENAME is a full path as Asterisk sees it (its own monitor directory,
perhaps on another machine); only its last part is kept, and only when it is an ordinary file
name of a known audio format.
"""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath, PureWindowsPath

CONTENT_TYPES = {".wav": "audio/wav", ".gsm": "audio/x-gsm", ".ogg": "audio/ogg"}
_SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,200}$")


def safe_name(reported: str) -> str | None:
    """The plain file name in what the PBX reported, or None when it is not a safe one."""
    name = PureWindowsPath(PurePosixPath(reported.strip()).name).name
    if not _SAFE_NAME.fullmatch(name) or ".." in name:
        return None
    return name if PurePosixPath(name).suffix.lower() in CONTENT_TYPES else None


def content_type(name: str) -> str:
    return CONTENT_TYPES.get(PurePosixPath(name).suffix.lower(), "application/octet-stream")


class RecordingFiles:
    """The recordings directory (the PBX's monitor directory, mounted or shared)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path_of(self, name: str) -> Path | None:
        """The file's path, only if `name` is safe and lands inside the directory (no link out)."""
        if not name or safe_name(name) != name:
            return None
        root = self.root.resolve()
        path = (root / name).resolve()
        return path if path.parent == root else None

    def remove(self, name: str) -> bool:
        """Delete the file; True if it was there."""
        path = self.path_of(name)
        if path is None or not path.is_file():
            return False
        path.unlink()
        return True
