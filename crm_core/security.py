"""Password hashing (argon2id; older scrypt hashes still verify and are rehashed on login) and
signed bearer tokens (HMAC-SHA256) carrying the user's session epoch.

The functions here are synchronous and CPU-bound: the services run them in a bounded worker pool
(crm_core.services.hash_pool), never on the event loop.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from crm_core.errors import AuthenticationError

# OWASP's argon2id profile (Password Storage Cheat Sheet): 19 MiB, 2 passes, one lane.
ARGON2 = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
_LEGACY_SCRYPT = "scrypt$"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def hash_password(password: str) -> str:
    """An argon2id hash (PHC string) of `password`."""
    return ARGON2.hash(password)


def _verify_scrypt(password: str, stored: str) -> bool:
    try:
        _scheme, n_text, r_text, p_text, salt, digest = stored.split("$")
        n, r, p = int(n_text), int(r_text), int(p_text)
        memory = 130 * n * r * p  # scrypt needs 128 * N * r bytes; the default cap is 32 MiB
        candidate = hashlib.scrypt(
            password.encode(), salt=_unb64(salt), n=n, r=r, p=p, dklen=32, maxmem=memory
        )
    except ValueError:
        return False
    return hmac.compare_digest(candidate, _unb64(digest))


def verify_password(password: str, stored: str) -> bool:
    """Constant-time check of `password` against an argon2id or a legacy scrypt hash."""
    if stored.startswith(_LEGACY_SCRYPT):
        return _verify_scrypt(password, stored)
    try:
        return ARGON2.verify(stored, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored: str) -> bool:
    """True for a hash made with older parameters or the old scheme (scrypt)."""
    if stored.startswith(_LEGACY_SCRYPT):
        return True
    try:
        return ARGON2.check_needs_rehash(stored)
    except InvalidHashError:
        return True


DUMMY_HASH = hash_password(secrets.token_urlsafe(16))
"""Checked when the login is unknown, so an unknown login costs what a wrong password costs."""


@dataclass(frozen=True, slots=True)
class TokenClaims:
    user_id: int
    epoch: int


class TokenSigner:
    """Issues and checks `<payload>.<signature>` tokens carrying a user id, the user's session
    epoch (a password change or a deactivation moves it, so older tokens stop working) and an
    expiry."""

    def __init__(self, key: bytes, ttl_seconds: int) -> None:
        self._key = key
        self._ttl = ttl_seconds

    def _sign(self, payload: str) -> str:
        return _b64(hmac.new(self._key, payload.encode(), hashlib.sha256).digest())

    def issue(self, user_id: int, now: float | None = None, epoch: int = 0) -> str:
        expires = int((time.time() if now is None else now) + self._ttl)
        claims = {"sub": user_id, "exp": expires, "v": epoch}
        payload = _b64(json.dumps(claims).encode())
        return f"{payload}.{self._sign(payload)}"

    def claims(self, token: str, now: float | None = None) -> TokenClaims:
        """The claims of a valid, unexpired token; AuthenticationError otherwise."""
        payload, _, signature = token.partition(".")
        if not hmac.compare_digest(signature.encode(), self._sign(payload).encode()):
            raise AuthenticationError("invalid token")
        try:
            claims = json.loads(_unb64(payload))
            user_id, expires = int(claims["sub"]), int(claims["exp"])
            epoch = int(claims.get("v", 0))
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise AuthenticationError("invalid token") from exc
        if expires <= (time.time() if now is None else now):
            raise AuthenticationError("token expired")
        return TokenClaims(user_id, epoch)

    def verify(self, token: str, now: float | None = None) -> int:
        """The user id in a valid, unexpired token; AuthenticationError otherwise."""
        return self.claims(token, now).user_id
