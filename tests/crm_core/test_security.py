"""Password hashing and token signing."""

from __future__ import annotations

import time

import pytest

from crm_core.errors import AuthenticationError
from crm_core.security import TokenSigner, hash_password, verify_password


def test_password_hash_verifies_only_the_right_password() -> None:
    stored = hash_password("s3cret")
    assert verify_password("s3cret", stored)
    assert not verify_password("s3cret ", stored)
    assert stored != hash_password("s3cret")  # salted


def test_garbage_hash_does_not_verify() -> None:
    assert not verify_password("x", "not-a-hash")


def test_token_round_trip() -> None:
    signer = TokenSigner(b"key", ttl_seconds=60)
    assert signer.verify(signer.issue(42)) == 42


def test_expired_token_is_rejected() -> None:
    signer = TokenSigner(b"key", ttl_seconds=60)
    token = signer.issue(42, now=time.time() - 61)
    with pytest.raises(AuthenticationError, match="expired"):
        signer.verify(token)


@pytest.mark.parametrize(
    "mangle", [lambda t: t + "x", lambda t: "x" + t, lambda t: "", lambda t: "a.b"]
)
def test_tampered_token_is_rejected(mangle: object) -> None:
    signer = TokenSigner(b"key", ttl_seconds=60)
    assert callable(mangle)
    with pytest.raises(AuthenticationError):
        signer.verify(mangle(signer.issue(1)))


def test_token_from_another_key_is_rejected() -> None:
    token = TokenSigner(b"other", ttl_seconds=60).issue(1)
    with pytest.raises(AuthenticationError):
        TokenSigner(b"key", ttl_seconds=60).verify(token)
