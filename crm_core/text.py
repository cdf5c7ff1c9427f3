"""Text folding for search: case- and accent-insensitive, any script."""

from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    """'Ján Šťastný' -> 'jan stastny'; '王伟' stays '王伟'."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.casefold().split())


def like_pattern(query: str) -> str:
    """A LIKE pattern matching `query` anywhere, with LIKE wildcards escaped by '\\'."""
    escaped = fold(query).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def search_text(*parts: str | None) -> str:
    return fold(" ".join(part for part in parts if part))
