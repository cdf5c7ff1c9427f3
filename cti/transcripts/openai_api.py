"""What the OpenAI-compatible clients share: the `/v1` base and the bearer header."""

from __future__ import annotations


def api_base(url: str) -> str:
    """'http://host:8080' and 'http://host:8080/v1/' both give 'http://host:8080/v1'."""
    base = url.rstrip("/")
    return base if base.endswith("/v1") else base + "/v1"


def auth_headers(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"} if token else {}
