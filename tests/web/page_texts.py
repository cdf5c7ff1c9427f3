"""A static look for visible text written into the page's code instead of its catalogue.

Every string and template literal in web_softphone/src (the catalogues in src/i18n/locales and the
generated API types aside) that reads like words for people — it has a word of two letters and
a space, a capital opening a word, a letter outside ASCII or an ellipsis; or any word when it is an
element's child, `h("span", null, "overdue")` — is reported, unless it
is code rather than text: a catalogue key (`t("…")`), an import, a CSS class or selector, an
event name, or a line marked `// i18n-ignore` (a test hook, a log line, a product name).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "web_softphone" / "src"
SKIPPED = ("i18n/locales/", "generated/", "icons.ts")
MARK = "i18n-ignore"

_WORDISH = re.compile(r"[^\W\d_]{2,}")
_CAPITALISED = re.compile(r"(?:^|[\s(])[A-ZÁČĎÉÍĹĽŇÓÔŔŠŤÚÝŽ][a-záäčďéíĺľňóôŕšťúýž]")
_NON_ASCII_LETTER = re.compile(r"(?=[^\x00-\x7f])[^\W\d_]")
# A literal that is an element's child: h("span", {…}, "overdue") is visible whatever its case.
_CHILD_OF_H = re.compile(r"\bh\(\"[\w-]+\",\s*(?:null|\{[^{}]*\}|[\w.]+)\s*,(?:\s*[^,()]+,)*\s*$")
_ONE_WORD = re.compile(r"[A-Z][a-z]+(?:[-'][a-z]+)*[.!?:…]?")
# What a literal stands after when it is code: keys, imports, classes, selectors, events.
_CODE_BEFORE = re.compile(
    r"(?:\bt\(|\bhasKey\(|\bimport\s*\(?|\bfrom|\brequire\(|class:|className\s*=|classList\.\w+\(|"
    r"querySelector(?:All)?(?:<[^>]*>)?\(|closest(?:<[^>]*>)?\(|addEventListener\(|"
    r"removeEventListener\(|getElementById\(|createElement(?:NS)?\(|setAttribute\(\"class\",|"
    r"matchMedia\(|\brel:|\bicon\([^,()]*,|console\.\w+\(|\bkey:|\.key\s*===?|[\"']class[\"']:|\w\[)\s*$"
)


@dataclass(frozen=True)
class Found:
    path: str
    line: int
    text: str


def looks_visible(text: str) -> bool:
    if not _WORDISH.search(text):
        return False
    if _NON_ASCII_LETTER.search(text) or "…" in text:
        return True
    if not re.search(r"\s", text):
        return bool(_ONE_WORD.fullmatch(text))
    if _CAPITALISED.search(text):
        return True
    return bool(re.search(r"[^\W\d_]{2,}[.,:;!?]?\s+\S|\S\s+[^\W\d_]{2,}", text))


class _Scanner:
    """Walks TypeScript source: comments and regular expressions skipped, literals collected."""

    def __init__(self, source: str) -> None:
        self.s = source
        self.i = 0
        self.found: list[tuple[int, str, bool]] = []

    def line_of(self, index: int) -> int:
        return self.s.count("\n", 0, index) + 1

    def run(self, until: str | None = None) -> None:
        s = self.s
        depth = 0
        while self.i < len(s):
            c = s[self.i]
            if s.startswith("//", self.i):
                end = s.find("\n", self.i)
                self.i = len(s) if end < 0 else end
            elif s.startswith("/*", self.i):
                end = s.find("*/", self.i + 2)
                self.i = len(s) if end < 0 else end + 2
            elif c in "\"'":
                self.string(c)
            elif c == "`":
                self.template()
            elif c == "/" and self.regex_allowed():
                self.regex()
            elif until is not None and c == "{":
                depth += 1
                self.i += 1
            elif until is not None and c == "}":
                if depth == 0:
                    self.i += 1
                    return
                depth -= 1
                self.i += 1
            else:
                self.i += 1

    def regex_allowed(self) -> bool:
        before = self.s[: self.i].rstrip()
        return not before or before[-1] in "(,=:[!&|?{};+-*%<>~^" or before.endswith("return")

    def regex(self) -> None:
        s = self.s
        self.i += 1
        in_class = False
        while self.i < len(s) and s[self.i] != "\n":
            c = s[self.i]
            if c == "\\":
                self.i += 2
                continue
            if c == "[":
                in_class = True
            elif c == "]":
                in_class = False
            elif c == "/" and not in_class:
                self.i += 1
                return
            self.i += 1

    def string(self, quote: str) -> None:
        s = self.s
        start = self.i
        self.i += 1
        chars: list[str] = []
        while self.i < len(s) and s[self.i] != quote:
            if s[self.i] == "\\":
                chars.append(s[self.i : self.i + 2])
                self.i += 2
                continue
            chars.append(s[self.i])
            self.i += 1
        self.i += 1
        self.keep(start, "".join(chars))

    def template(self) -> None:
        s = self.s
        start = self.i
        self.i += 1
        parts: list[str] = []
        while self.i < len(s) and s[self.i] != "`":
            if s[self.i] == "\\":
                parts.append(s[self.i : self.i + 2])
                self.i += 2
            elif s.startswith("${", self.i):
                self.i += 2
                self.run(until="}")
                parts.append("\x00")
            else:
                parts.append(s[self.i])
                self.i += 1
        self.i += 1
        self.keep(start, "".join(parts))

    def keep(self, start: int, text: str) -> None:
        line_start = self.s.rfind("\n", 0, start) + 1
        before = self.s[line_start:start]
        if _CODE_BEFORE.search(before):
            return
        self.found.append((start, text, bool(_CHILD_OF_H.search(before))))


def hardcoded_texts(src: Path = SRC) -> list[Found]:
    """Every literal under `src` that reads like visible words and is not marked as code."""
    results: list[Found] = []
    for path in sorted(src.rglob("*.ts")):
        rel = path.relative_to(src).as_posix()
        if any(rel.startswith(skip) or rel == skip for skip in SKIPPED) or rel.endswith(".d.ts"):
            continue
        source = path.read_text(encoding="utf-8")
        lines = source.splitlines()
        scanner = _Scanner(source)
        scanner.run()
        for start, text, child in scanner.found:
            line = scanner.line_of(start)
            marked = MARK in lines[line - 1] or (line > 1 and MARK in lines[line - 2])
            words = bool(_WORDISH.search(text)) if child else looks_visible(text.strip())
            if not marked and words:
                results.append(Found(rel, line, text))
    return results


if __name__ == "__main__":
    for item in hardcoded_texts():
        print(f"{item.path}:{item.line}: {item.text!r}")
