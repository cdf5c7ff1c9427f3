"""SDP offers and answers.

Plain RTP/AVP legs (the trunk) carry real media (cti/sandbox/sip/rtp.py). Agents' endpoints are
WebRTC endpoints (DTLS-SRTP): the sandbox's agent answers with the offer's profile and a made-up
fingerprint; Asterisk accepts the answer, waits for a DTLS handshake that never comes, and runs
the call anyway, without media.
"""

from __future__ import annotations

import re
import secrets
import time

_M_LINE = re.compile(r"^m=audio (\d+) (\S+)", re.MULTILINE)
_C_LINE = re.compile(r"^c=IN IP4 (\S+)", re.MULTILINE)
_DIRECTION = re.compile(r"^a=(sendrecv|sendonly|recvonly|inactive)\s*$", re.MULTILINE)
_WEBRTC_PROFILE = "UDP/TLS/RTP/SAVPF"
# RFC 4733 DTMF events: the carrier's callers press keys (a queue's call-back key) on plain legs.
TELEPHONE_EVENT = 101
_EVENT_MAP = re.compile(r"^a=rtpmap:(\d+) telephone-event/8000", re.MULTILINE)
# What a side answers to the other's direction (RFC 3264 6.1): hold is sendonly or inactive.
_ANSWERED_DIRECTION = {"sendonly": "recvonly", "recvonly": "sendonly", "inactive": "inactive"}


def _fingerprint() -> str:
    return ":".join(f"{byte:02X}" for byte in secrets.token_bytes(32))


def _session(
    media_port: int, profile: str, setup: str, direction: str = "sendrecv", events: bool = True
) -> str:
    version = int(time.time())
    formats = f"0 8 {TELEPHONE_EVENT}" if events else "0 8"
    lines = [
        "v=0",
        f"o=- {version} {version} IN IP4 127.0.0.1",
        "s=cti-sandbox",
        "c=IN IP4 127.0.0.1",
        "t=0 0",
        f"m=audio {media_port} {profile} {formats}",
        "a=rtpmap:0 PCMU/8000",
        "a=rtpmap:8 PCMA/8000",
    ]
    if events:
        lines += [
            f"a=rtpmap:{TELEPHONE_EVENT} telephone-event/8000",
            f"a=fmtp:{TELEPHONE_EVENT} 0-16",
        ]
    lines += [f"a={direction}"]
    if "SAVP" in profile:
        lines += [f"a=fingerprint:sha-256 {_fingerprint()}", f"a=setup:{setup}", "a=rtcp-mux"]
    return "\r\n".join(lines) + "\r\n"


def answer(offer: str, media_port: int) -> str:
    match = _M_LINE.search(offer)
    profile = match.group(2) if match else "RTP/AVP"
    direction = _ANSWERED_DIRECTION.get(direction_of(offer), "sendrecv")
    return _session(media_port, profile, "active", direction, telephone_event(offer) is not None)


def offer(media_port: int, webrtc: bool, direction: str = "sendrecv") -> str:
    """direction: `sendonly` (or `inactive`) puts the other side on hold; `sendrecv` resumes."""
    return _session(media_port, _WEBRTC_PROFILE if webrtc else "RTP/AVP", "actpass", direction)


def telephone_event(body: str) -> int | None:
    """The payload type the other side gave RFC 4733 events, None if it offered none."""
    match = _EVENT_MAP.search(body)
    return int(match.group(1)) if match else None


def direction_of(body: str) -> str:
    match = _DIRECTION.search(body)
    return match.group(1) if match else "sendrecv"


def plain_rtp(body: str) -> bool:
    """An audio stream without encryption: one this user agent can send media on."""
    match = _M_LINE.search(body)
    return match is not None and match.group(2) == "RTP/AVP"


def media_address(body: str) -> tuple[str, int] | None:
    """Where the other side wants its audio: (c= address, m=audio port)."""
    media, connection = _M_LINE.search(body), _C_LINE.search(body)
    if media is None or connection is None or media.group(1) == "0":
        return None
    return connection.group(1), int(media.group(1))
