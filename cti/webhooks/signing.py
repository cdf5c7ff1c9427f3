"""How a webhook body is signed, and how a receiver checks it (the README shows the same check).

The signature is HMAC-SHA256 with the subscription's secret over "<timestamp>.<body>", where
the timestamp (Unix seconds) travels in `X-CTI-Timestamp`: a receiver refuses a timestamp older
than a few minutes, so a captured request cannot be replayed later, and the body cannot be
changed without the secret.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping

TOLERANCE_SECONDS = 300
SIGNATURE = "X-CTI-Signature"
TIMESTAMP = "X-CTI-Timestamp"


def signature(secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return "v1=" + mac.hexdigest()


def signed_headers(
    secret: str, body: bytes, timestamp: int, event_id: str, event_type: str
) -> dict[str, str]:
    return {
        "Content-Type": "application/json",
        "User-Agent": "cti-bridge-webhooks/1",
        "X-CTI-Event": event_type,
        "X-CTI-Event-Id": event_id,
        TIMESTAMP: str(timestamp),
        SIGNATURE: signature(secret, timestamp, body),
    }


def verify(
    secret: str, headers: Mapping[str, str], body: bytes, now: float,
    tolerance: float = TOLERANCE_SECONDS,
) -> bool:  # fmt: skip
    """True when the body is the one signed with `secret`, signed less than `tolerance` ago."""
    try:
        timestamp = int(headers[TIMESTAMP])
    except (KeyError, ValueError):
        return False
    if abs(now - timestamp) > tolerance:
        return False
    return hmac.compare_digest(signature(secret, timestamp, body), headers.get(SIGNATURE, ""))
