"""AMI wire format: blank-line separated messages of `Key: Value` lines. Tolerant and bounded.

Used by the live protocol (bytes arrive in arbitrary TCP chunks) and by file replay. A message
comes out as the flat dict the tracker reads (`Fields`), parsed once from the bytes:

- fast path: a read is decoded once and, when it holds no bare LF (Asterisk's own output), cut
  with str.split at "\\r\\n\\r\\n"; a message whose lines are all `Key: value` with a known,
  clean key becomes a dict in one C call;
- tolerant path, for anything else (LF-only or mixed line ends, blank or junk lines, a repeated
  or odd header): line by line, as `parse_block` + `to_fields`.

Both paths give the same dict for the same message (tests/fuzz hold them to each other).

A framer given `variables` drops every VarSet of another variable before parsing it: a PBX
whose manager.conf lacks the shipped event filter sends one VarSet per variable the dialplan and
the channel drivers touch (over half of such a stream), and the bridge reads only a few.
"""

from __future__ import annotations

import codecs
import logging
import re
from collections.abc import Callable

log = logging.getLogger(__name__)

Headers = list[tuple[str, str]]
Fields = dict[str, str]

# Asterisk ends lines with CRLF; recordings edited by hand often use LF only.
_SEPARATOR = re.compile(r"\r?\n\r?\n")
_CRLF_SEPARATOR = "\r\n\r\n"
_BANNER = "Asterisk Call Manager/"
_VARSET_START = "Event: VarSet\r\n"
_VARIABLE_HEADER = "\r\nVariable: "
DEFAULT_MAX_MESSAGE_CHARS = 64 * 1024
# A read can end inside a separator: up to "\r\n\r" of the buffer may not belong to the message.
_UNFINISHED_SEPARATOR_CHARS = 3
# Headers read as one string (panoramisk: message.id, event.lower() ...): a repeat of one (never
# sent by Asterisk) once crashed the reader; the first one counts. Lower case.
SINGLE_VALUED = frozenset(
    {"event", "response", "actionid", "commandid", "message", "subevent", "eventlist"}
)


def parse_block(block: str, on_garbled: Callable[[str], None] | None = None) -> Headers:
    """Parse one message. Lines without a colon are skipped; an empty value is kept."""
    headers: Headers = []
    for raw_line in block.split("\n"):
        line = raw_line.rstrip("\r")
        if not line.strip():
            continue
        key, colon, value = line.partition(":")
        if not colon or not key.strip():
            if on_garbled is not None:
                on_garbled(line)
            continue
        headers.append((key.strip(), value[1:] if value.startswith(" ") else value))
    return headers


def to_dict(headers: Headers) -> dict[str, str]:
    """Flatten headers; a repeated name (ChanVariable, Output) keeps every value, newline-joined."""
    result: dict[str, str] = {}
    for key, value in headers:
        result[key] = f"{result[key]}\n{value}" if key in result else value
    return result


def to_fields(headers: Headers) -> Fields:
    """A message as one dict. Names match case-insensitively (the first spelling is kept); a
    repeated name keeps every value newline-joined, except the single-valued ones (first wins)."""
    fields: Fields = {}
    names: dict[str, str] = {}
    for raw_key, value in headers:
        lower = raw_key.lower()
        key = names.setdefault(lower, raw_key)
        if key not in fields:
            fields[key] = value
        elif lower not in SINGLE_VALUED:
            fields[key] = f"{fields[key]}\n{value}"
    return fields


class CleanKeys:
    """Header names the fast path may take as they are: printable ASCII without blank or colon,
    and no other spelling of the same name seen (that one needs the case-insensitive merge)."""

    _SHAPE = re.compile(r"[!-9;-~]+")

    def __init__(self, limit: int = 4096) -> None:
        self.known: set[str] = set()
        self._lower: set[str] = set()
        self._limit = limit

    def admit(self, keys: set[str]) -> bool:
        """Learns `keys` (the ones not yet known); False when one of them is not clean."""
        for key in keys:
            lower = key.lower()
            if not self._SHAPE.fullmatch(key) or lower in self._lower:
                return False
            if len(self.known) >= self._limit:
                return False  # fuzzed names must not grow the set without bound
            self.known.add(key)
            self._lower.add(lower)
        return True


class MessageFramer:
    """Incrementally decodes UTF-8 (a character may straddle two reads) and cuts messages."""

    def __init__(
        self,
        max_message_chars: int = DEFAULT_MAX_MESSAGE_CHARS,
        fast: bool = True,
        variables: frozenset[str] | None = None,
    ) -> None:
        """`fast=False`: every message on the tolerant path (the reference the tests compare to).
        `variables`: the VarSet variables to keep (None: every message)."""
        self.max_message_chars = max_message_chars
        self._use_fast = fast
        self._variables = variables
        self.skipped_varsets = 0
        self.banner: str | None = None
        self.garbled_lines = 0
        self.oversized_messages = 0
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._buffer = ""
        self._scan_from = 0
        self._discarding = False
        self._keys = CleanKeys()

    def feed(self, data: bytes) -> list[Fields]:
        buffer = self._buffer + self._decoder.decode(data)
        crlf_only = buffer.count("\n") == buffer.count("\r\n")
        if crlf_only:  # (fast or not: both cuts give the same blocks here)
            *blocks, rest = buffer.split(_CRLF_SEPARATOR)
        else:
            blocks, rest = self._cut(buffer)
        messages: list[Fields] = []
        for block in blocks:
            fields = self._take(block, crlf_only)
            if fields:
                messages.append(fields)
        self._buffer = rest
        self._scan_from = max(0, len(rest) - _UNFINISHED_SEPARATOR_CHARS)
        if len(rest) > self.max_message_chars + _UNFINISHED_SEPARATOR_CHARS:
            self._start_discarding()
        return messages

    def _cut(self, buffer: str) -> tuple[list[str], str]:
        """Mixed or LF-only line ends: any of LF LF, CRLF LF, LF CRLF, CRLF CRLF ends a message."""
        blocks, start = [], 0
        for match in _SEPARATOR.finditer(buffer, self._scan_from):
            blocks.append(buffer[start : match.start()])
            start = match.end()
        return blocks, buffer[start:]

    def _take(self, block: str, crlf_only: bool) -> Fields | None:
        if self._discarding or len(block) > self.max_message_chars:
            self._discarding = False
            self._reject_oversized()
            return None
        if self.banner is None:
            block = self._strip_banner(block)
        if self._variables is not None and block.startswith(_VARSET_START):
            name = _variable_of(block)
            if name is not None and name not in self._variables:
                self.skipped_varsets += 1
                return None
        fields = self._fast(block) if crlf_only and self._use_fast else None
        if fields is None:
            fields = to_fields(parse_block(block, self._count_garbled))
        return fields

    def _fast(self, block: str) -> Fields | None:
        """The dict of a message made only of `Key: value` CRLF lines, else None. Same result as
        the tolerant path: no blank line or colon in a key (the split is the first colon), no
        stray CR (nothing to strip), no repeated name (nothing to merge)."""
        lines = block.split("\r\n")
        try:
            fields = dict([line.split(": ", 1) for line in lines])
        except ValueError:  # a line without ": " (blank, junk, `Key:` with nothing after)
            return None
        if len(fields) != len(lines) or block.count("\r") != len(lines) - 1:
            return None
        known = self._keys.known
        if fields.keys() <= known or self._keys.admit(fields.keys() - known):
            return fields
        return None

    def _strip_banner(self, block: str) -> str:
        if block.lstrip().startswith(_BANNER):
            first, _, rest = block.lstrip().partition("\n")
            self.banner = first.strip()
            return rest
        return block

    def _start_discarding(self) -> None:
        # Keep the tail: it may hold the start of the separator that ends the oversized message.
        if not self._discarding:
            log.warning("AMI message over %d chars: discarding it", self.max_message_chars)
        self._discarding = True
        self._buffer = self._buffer[-_UNFINISHED_SEPARATOR_CHARS:]
        self._scan_from = 0

    def _reject_oversized(self) -> None:
        self.oversized_messages += 1
        log.warning("dropped an oversized AMI message (limit %d chars)", self.max_message_chars)

    def _count_garbled(self, line: str) -> None:
        self.garbled_lines += 1
        log.debug("garbled AMI line skipped: %.80r", line)


def _variable_of(block: str) -> str | None:
    """The Variable header of a VarSet block; None (kept, parsed as usual) when odd or absent."""
    start = block.find(_VARIABLE_HEADER)
    if start < 0:
        return None
    start += len(_VARIABLE_HEADER)
    end = block.find("\r\n", start)
    return block[start:] if end < 0 else block[start:end]
