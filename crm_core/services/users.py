"""Users: create, authenticate, list, find by extension, change; tokens for the API."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from crm_core.db import Sessions
from crm_core.errors import AuthenticationError, ConflictError, NotFoundError
from crm_core.models import User, UserExtension
from crm_core.models.enums import AuditAction, Role
from crm_core.security import TokenClaims, TokenSigner
from crm_core.services.audit import diff, record
from crm_core.services.base import ServiceBase, require_role
from crm_core.services.dto import (
    Actor,
    LoginResult,
    PreferencesUpdate,
    StaffName,
    UserCreate,
    UserOut,
    UserUpdate,
)
from crm_core.services.hash_pool import HashPool
from crm_core.services.login_guard import LoginGuard, LoginLimits
from crm_core.services.password_policy import check_password
from crm_core.services.sign_in import SignIn
from crm_core.services.user_rows import load_user as _load
from crm_core.services.user_rows import to_user_out
from crm_core.settings import CrmSettings

__all__ = ["UserService", "to_user_out"]


def _limits(settings: CrmSettings) -> LoginLimits:
    return LoginLimits(
        free_failures=settings.login_free_failures,
        address_free_failures=settings.login_address_free_failures,
        max_wait=settings.login_max_wait_seconds,
        rate=settings.login_rate,
        burst=settings.login_burst,
    )


async def _set_extensions(session: AsyncSession, user: User, extensions: list[str]) -> None:
    taken = await session.scalars(
        select(UserExtension).where(
            UserExtension.extension.in_(extensions),
            UserExtension.pbx == user.pbx,
            UserExtension.user_id != user.id,
        )
    )
    clash = taken.first()
    if clash is not None:
        raise ConflictError(
            f"extension {clash.extension} belongs to user {clash.user_id}",
            code="extension_taken",
            params={"extension": clash.extension},
        )
    await session.execute(delete(UserExtension).where(UserExtension.user_id == user.id))
    session.add_all(
        UserExtension(pbx=user.pbx, extension=ext, user_id=user.id)
        for ext in dict.fromkeys(extensions)
    )


class UserService(ServiceBase):
    def __init__(self, sessions: Sessions, settings: CrmSettings, signer: TokenSigner) -> None:
        super().__init__(sessions, settings)
        self._signer = signer
        self._pool = HashPool(settings.hash_workers, settings.hash_queue)
        self._sign_in = SignIn(sessions, self._pool, LoginGuard(_limits(settings)))

    def close(self) -> None:
        self._pool.close()

    async def _new_hash(self, actor: Actor, login: str, password: str) -> str:
        """The policy holds for passwords set by people (the API); the CLI and demo data are
        trusted operators."""
        if actor.id is not None:
            check_password(password, login)
        return await self._pool.hash(password)

    async def create(self, actor: Actor, data: UserCreate) -> UserOut:
        require_role(actor, Role.ADMIN)
        password_hash = await self._new_hash(actor, data.login, data.password)
        async with self._sessions.begin() as session:
            if await _load(session, login=data.login) is not None:
                raise ConflictError(
                    f"login {data.login!r} is taken",
                    code="login_taken",
                    params={"login": data.login},
                )
            user = User(
                login=data.login,
                display_name=data.display_name or data.login,
                password_hash=password_hash,
                role=data.role.value,
                active=True,
                pbx=data.pbx,
            )
            session.add(user)
            await session.flush()
            await _set_extensions(session, user, data.extensions)
            record(
                session,
                actor,
                AuditAction.CREATE,
                "users",
                user.id,
                data.model_dump(mode="json", exclude={"password"}),
            )
            return await self._out(session, user.id)

    async def update(self, actor: Actor, user_id: int, data: UserUpdate) -> UserOut:
        require_role(actor, Role.ADMIN)
        async with self._sessions() as session:
            current = await _load(session, id=user_id)
        if current is None:
            raise NotFoundError("user", user_id)
        password_hash = None
        if data.password is not None:
            password_hash = await self._new_hash(actor, current.login, data.password)
        async with self._sessions.begin() as session:
            user = await _load(session, id=user_id)
            if user is None:
                raise NotFoundError("user", user_id)
            before = to_user_out(user).model_dump(mode="json")
            changes = data.model_dump(
                mode="json", exclude_unset=True, exclude={"password", "extensions"}
            )
            for key, value in changes.items():
                setattr(user, key, value)
            if password_hash is not None:
                user.password_hash = password_hash
            if password_hash is not None or changes.get("active") is False:
                user.token_epoch += 1  # the tokens issued before stop working
            if data.extensions is not None:
                await _set_extensions(session, user, data.extensions)
            elif "pbx" in changes:  # the same extensions, now on the other PBX
                await _set_extensions(session, user, [e.extension for e in user.extensions])
            after = await self._out(session, user_id)
            audit = diff(before, after.model_dump(mode="json")) | (
                {"password": "changed"} if data.password else {}
            )
            record(session, actor, AuditAction.UPDATE, "users", user_id, audit)
            return after

    async def list(self, actor: Actor) -> list[UserOut]:
        require_role(actor, Role.SUPERVISOR, Role.ADMIN)
        async with self._sessions() as session:
            rows = await session.scalars(
                select(User).options(selectinload(User.extensions)).order_by(User.login)
            )
            return [to_user_out(row) for row in rows]

    async def get(self, user_id: int) -> UserOut:
        async with self._sessions() as session:
            user = await _load(session, id=user_id)
            if user is None:
                raise NotFoundError("user", user_id)
            return to_user_out(user)

    async def set_preferences(self, actor: Actor, data: PreferencesUpdate) -> UserOut:
        """The signed-in user's own settings (their interface language): no role needed."""
        if actor.id is None:
            raise AuthenticationError("not a user", code="not_a_user")
        async with self._sessions.begin() as session:
            user = await _load(session, id=actor.id)
            if user is None:
                raise NotFoundError("user", actor.id)
            user.language = data.language
            return await self._out(session, actor.id)

    async def get_by_login(self, login: str) -> UserOut | None:
        async with self._sessions() as session:
            user = await _load(session, login=login)
            return None if user is None else to_user_out(user)

    async def find_by_extension(self, extension: str, pbx: str = "default") -> UserOut | None:
        async with self._sessions() as session:
            user_id = await session.scalar(
                select(UserExtension.user_id).where(
                    UserExtension.extension == extension, UserExtension.pbx == pbx
                )
            )
            user = None if user_id is None else await _load(session, id=user_id)
            return None if user is None else to_user_out(user)

    async def directory(self) -> tuple[StaffName, ...]:
        """Every extension held by an active user, with the user's display name (login if none)."""
        statement = (
            select(UserExtension.extension, User.id, User.login, User.display_name)
            .join(User, User.id == UserExtension.user_id)
            .where(User.active.is_(True))
            .order_by(UserExtension.extension)
        )
        async with self._sessions() as session:
            rows = (await session.execute(statement)).all()
        return tuple(
            StaffName(extension=ext, user_id=uid, login=login, display_name=name or login)
            for ext, uid, login, name in rows
        )

    async def authenticate(self, login: str, password: str) -> UserOut:
        """The active user with this login and password; AuthenticationError otherwise.
        Neither throttled nor audited: `login` is the door for people."""
        try:
            return (await self._sign_in.check(login, password)).user
        except AuthenticationError as exc:
            raise AuthenticationError(exc.args[0]) from None

    async def login(self, login: str, password: str, address: str = "") -> LoginResult:
        """Sign in from `address` (throttled, audited; see crm_core.services.sign_in)."""
        signed_in = await self._sign_in.sign_in(login, password, address)
        token = self._signer.issue(signed_in.user.id, epoch=signed_in.epoch)
        return LoginResult(access_token=token, user=signed_in.user)

    async def actor_for_token(self, token: str) -> Actor:
        """The actor behind a bearer token; AuthenticationError if invalid, expired, inactive,
        or issued before the user's password changed or the user was deactivated."""
        claims = self._signer.claims(token)
        async with self._sessions() as session:
            user = await session.get(User, claims.user_id)
            refusal = _refusal(user, claims)
            if refusal is not None:
                raise refusal
            assert user is not None
            return Actor(id=user.id, login=user.login, role=Role(user.role))

    async def revoked_among(self, tokens: Collection[str]) -> dict[str, AuthenticationError]:
        """Which of these tokens sign nobody in any more, and why: one query for them all (the
        open websockets' periodic check)."""
        revoked: dict[str, AuthenticationError] = {}
        claims_of: dict[str, TokenClaims] = {}
        for token in tokens:
            try:
                claims_of[token] = self._signer.claims(token)
            except AuthenticationError as exc:
                revoked[token] = exc
        users: dict[int, User] = {}
        if claims_of:
            ids = {claims.user_id for claims in claims_of.values()}
            async with self._sessions() as session:
                found = await session.scalars(select(User).where(User.id.in_(ids)))
                users = {user.id: user for user in found}
        for token, claims in claims_of.items():
            refusal = _refusal(users.get(claims.user_id), claims)
            if refusal is not None:
                revoked[token] = refusal
        return revoked

    async def _out(self, session: AsyncSession, user_id: int) -> UserOut:
        await session.flush()
        session.expunge_all()
        user = await _load(session, id=user_id)
        assert user is not None
        return to_user_out(user)


def _refusal(user: User | None, claims: TokenClaims) -> AuthenticationError | None:
    if user is None or not user.active:
        return AuthenticationError("unknown or inactive user")
    if user.token_epoch != claims.epoch:
        return AuthenticationError("token revoked: sign in again", code="token_revoked")
    return None
