"""Signing in: throttled (LoginGuard), hashed off the event loop (HashPool), audited.

An unknown login, a wrong password and an inactive user get the same answer after the same
work (an unknown login is checked against a dummy hash). Every failure is audited with the login
tried and the address (action `login_failed`, and `login_locked` when a wait starts); every
success too (`login`). A password stored with older parameters (scrypt) is rehashed (argon2id)
on a successful sign-in.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import update

from crm_core.db import Sessions
from crm_core.errors import AuthenticationError
from crm_core.models import AuditEntry, User
from crm_core.models.enums import AuditAction
from crm_core.security import DUMMY_HASH
from crm_core.services.dto import UserOut
from crm_core.services.hash_pool import HashPool
from crm_core.services.login_guard import LoginGuard
from crm_core.services.user_rows import load_user, to_user_out

WRONG = "wrong login or password"


@dataclass(frozen=True, slots=True)
class SignedIn:
    user: UserOut
    epoch: int


class SignIn:
    def __init__(self, sessions: Sessions, pool: HashPool, guard: LoginGuard) -> None:
        self._sessions = sessions
        self._pool = pool
        self._guard = guard

    async def check(self, login: str, password: str) -> SignedIn:
        """The active user with this login and password; AuthenticationError otherwise (its
        `args` are (WRONG, why, user id or 0), for the audit)."""
        self._pool.refuse_when_full()
        async with self._sessions() as session:
            user = await load_user(session, login=login)
        stored = user.password_hash if user is not None else DUMMY_HASH
        valid, rehashed = await self._pool.verify(password, stored)
        if user is None or not valid or not user.active:
            why = "unknown login" if user is None else "wrong password" if not valid else "inactive"
            raise AuthenticationError(WRONG, why, 0 if user is None else user.id)
        if rehashed is not None:
            await self._store_rehash(user.id, stored, rehashed)
        return SignedIn(to_user_out(user), user.token_epoch)

    async def sign_in(self, login: str, password: str, address: str) -> SignedIn:
        self._guard.check(login, address)
        try:
            signed_in = await self.check(login, password)
        except AuthenticationError as exc:
            locked = self._guard.failed(login, address)
            _wrong, why, user_id = exc.args
            await self._audit(AuditAction.LOGIN_FAILED, login, address, user_id, why, locked)
            raise AuthenticationError(WRONG, code="wrong_login") from None
        self._guard.succeeded(login)
        await self._audit(AuditAction.LOGIN, login, address, signed_in.user.id)
        return signed_in

    async def _store_rehash(self, user_id: int, old: str, new: str) -> None:
        async with self._sessions.begin() as session:
            await session.execute(
                update(User)
                .where(User.id == user_id, User.password_hash == old)
                .values(password_hash=new)
            )

    async def _audit(
        self, action: AuditAction, login: str, address: str, user_id: int,
        why: str = "", locked: bool = False,
    ) -> None:  # fmt: skip
        """Who tried (the login as typed, and the user id when it exists) and from where."""
        changes = {"address": address} | ({"reason": why} if why else {})
        actions = [action, AuditAction.LOGIN_LOCKED] if locked else [action]
        async with self._sessions.begin() as session:
            session.add_all(
                AuditEntry(
                    actor_id=user_id or None,
                    actor_login=login[:64],
                    action=done.value,
                    table_name="users",
                    record_id=user_id,
                    changes=changes,
                )
                for done in actions
            )
