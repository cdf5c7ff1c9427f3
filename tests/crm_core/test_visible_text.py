"""Visible text: the validator and the pattern the OpenAPI document states agree."""

from __future__ import annotations

import re
import sys
import unicodedata
from typing import Annotated

import pytest
from pydantic import TypeAdapter

from crm_core.services.dto.common import (
    INVISIBLE_CATEGORIES,
    INVISIBLE_CLASS,
    VisibleText,
    visible_or_empty,
)


def test_the_class_holds_exactly_the_invisible_categories() -> None:
    in_class = re.compile(f"[{INVISIBLE_CLASS}]")
    for code_point in range(sys.maxunicode + 1):
        if 0xD800 <= code_point <= 0xDFFF:
            continue
        char = chr(code_point)
        invisible = unicodedata.category(char) in INVISIBLE_CATEGORIES
        assert bool(in_class.fullmatch(char)) == invisible, hex(code_point)


@pytest.mark.parametrize("text", ["\u200b", "\ufeff\u200e", " \x00 ", "\u202e\u2066"])
def test_invisible_only_is_refused_by_both(text: str) -> None:
    with pytest.raises(ValueError, match="invisible"):
        visible_or_empty(text)
    pattern = re.compile(_schema_pattern())
    assert not pattern.search(text)


@pytest.mark.parametrize("text", ["", "Jana", "\u200bJana\ufeff", "\U0009dd73", "\ue000"])
def test_visible_text_is_accepted_by_both(text: str) -> None:
    visible_or_empty(text)
    assert re.compile(_schema_pattern()).search(text)


def test_edges_are_trimmed() -> None:
    assert visible_or_empty("\u200bJana\ufeff") == "Jana"


def _schema_pattern() -> str:

    schema = TypeAdapter(Annotated[str, VisibleText]).json_schema()
    pattern: str = schema["pattern"]
    return pattern
