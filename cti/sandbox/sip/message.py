"""SIP messages: parsing and building (RFC 3261 text format, UDP only)."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field

_COMPACT = {
    "v": "via",
    "f": "from",
    "t": "to",
    "i": "call-id",
    "m": "contact",
    "l": "content-length",
    "o": "event",
    "r": "refer-to",
}
_TAG = re.compile(r";\s*tag=([^;>\s]+)")
_URI = re.compile(r"<([^>]+)>")
_CSEQ = re.compile(r"(\d+)\s+(\w+)")


def new_token() -> str:
    return secrets.token_hex(8)


def new_branch() -> str:
    return "z9hG4bK" + secrets.token_hex(8)


@dataclass
class SipMessage:
    """A request (method set) or a response (status set). Header names are kept lower-case."""

    start_line: str
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: str = ""

    @property
    def is_request(self) -> bool:
        return not self.start_line.startswith("SIP/2.0")

    @property
    def method(self) -> str:
        return self.start_line.split(" ", 1)[0] if self.is_request else self.cseq[1]

    @property
    def request_uri(self) -> str:
        return self.start_line.split(" ")[1]

    @property
    def status(self) -> int:
        return int(self.start_line.split(" ")[1]) if not self.is_request else 0

    @property
    def cseq(self) -> tuple[int, str]:
        match = _CSEQ.match(self.header("cseq"))
        return (int(match.group(1)), match.group(2)) if match else (0, "")

    @property
    def call_id(self) -> str:
        return self.header("call-id")

    def header(self, name: str) -> str:
        return next((value for key, value in self.headers if key == name), "")

    def all_headers(self, name: str) -> list[str]:
        return [value for key, value in self.headers if key == name]

    def encode(self) -> bytes:
        payload = self.body.encode()
        lines = [self.start_line]
        lines += [f"{_title(key)}: {value}" for key, value in self.headers]
        lines.append(f"Content-Length: {len(payload)}")
        return ("\r\n".join(lines) + "\r\n\r\n").encode() + payload


def parse(data: bytes) -> SipMessage:
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("utf-8", errors="replace").split("\r\n")
    headers: list[tuple[str, str]] = []
    for line in lines[1:]:
        if line[:1] in (" ", "\t") and headers:
            key, value = headers[-1]
            headers[-1] = (key, value + " " + line.strip())
            continue
        name, _, value = line.partition(":")
        key = name.strip().lower()
        headers.append((_COMPACT.get(key, key), value.strip()))
    headers = [(key, value) for key, value in headers if key != "content-length"]
    return SipMessage(lines[0], headers, body.decode("utf-8", errors="replace"))


def tag_of(address: str) -> str:
    match = _TAG.search(address)
    return match.group(1) if match else ""


def uri_of(address: str) -> str:
    match = _URI.search(address)
    return match.group(1) if match else address.split(";", 1)[0].strip()


def user_of(uri: str) -> str:
    return uri.removeprefix("sip:").split("@", 1)[0]


def response_to(request: SipMessage, status: int, reason: str, to_tag: str = "") -> SipMessage:
    """A response copying the request's Via, From, To (adding our tag), Call-ID and CSeq."""
    headers = [(key, value) for key, value in request.headers if key in ("via", "from", "call-id")]
    to = request.header("to")
    if to_tag and not tag_of(to):
        to += f";tag={to_tag}"
    headers += [("to", to), ("cseq", request.header("cseq"))]
    return SipMessage(f"SIP/2.0 {status} {reason}", headers)


def same_transaction(invite: SipMessage, method: str, to: str) -> SipMessage:
    """CANCEL, and the ACK of a non-2xx answer, repeat the INVITE's Via branch, URI and CSeq."""
    keep = ("via", "max-forwards", "from", "call-id")
    headers = [(key, value) for key, value in invite.headers if key in keep]
    headers += [("to", to), ("cseq", f"{invite.cseq[0]} {method}")]
    return SipMessage(f"{method} {invite.request_uri} SIP/2.0", headers)


def _title(name: str) -> str:
    special = {"call-id": "Call-ID", "cseq": "CSeq", "www-authenticate": "WWW-Authenticate"}
    return special.get(name, "-".join(part.capitalize() for part in name.split("-")))
