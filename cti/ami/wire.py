"""AMI wire format: blank-line separated messages of `Key: Value` lines. Tolerant and bounded.

Used by the live protocol (bytes arrive in arbitrary TCP chunks) and by file replay.
"""

from __future__ import annotations

import codecs
import logging
import re
from collections.abc import Callable

log = logging.getLogger(__name__)

Headers = list[tuple[str, str]]

# Asterisk ends lines with CRLF; recordings edited by hand often use LF only.
_SEPARATOR = re.compile(r"\r?\n\r?\n")
_BANNER = "Asterisk Call Manager/"
DEFAULT_MAX_MESSAGE_CHARS = 64 * 1024
# A read can end inside a separator: up to "\r\n\r" of the buffer may not belong to the message.
_UNFINISHED_SEPARATOR_CHARS = 3


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


class MessageFramer:
    """Incrementally decodes UTF-8 (a character may straddle two reads) and cuts messages."""

    def __init__(self, max_message_chars: int = DEFAULT_MAX_MESSAGE_CHARS) -> None:
        self.max_message_chars = max_message_chars
        self.banner: str | None = None
        self.garbled_lines = 0
        self.oversized_messages = 0
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._buffer = ""
        self._scan_from = 0
        self._discarding = False

    def feed(self, data: bytes) -> list[Headers]:
        self._buffer += self._decoder.decode(data)
        messages: list[Headers] = []
        start = 0
        for match in _SEPARATOR.finditer(self._buffer, self._scan_from):
            self._take(self._buffer[start : match.start()], messages)
            start = match.end()
        self._buffer = self._buffer[start:]
        self._scan_from = max(0, len(self._buffer) - _UNFINISHED_SEPARATOR_CHARS)
        if len(self._buffer) > self.max_message_chars + _UNFINISHED_SEPARATOR_CHARS:
            self._start_discarding()
        return messages

    def _take(self, block: str, messages: list[Headers]) -> None:
        if self._discarding or len(block) > self.max_message_chars:
            self._discarding = False
            self._reject_oversized()
            return
        block = self._strip_banner(block)
        headers = parse_block(block, self._count_garbled)
        if headers:
            messages.append(headers)

    def _strip_banner(self, block: str) -> str:
        if self.banner is None and block.lstrip().startswith(_BANNER):
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
