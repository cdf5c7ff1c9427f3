"""Routing rules: read by the bridge's router, edited by admins (validated and audited).

Rules are kept in order (position 1 first). Every change bumps `routing_state.version` in the
same transaction and `changes` in this process, so a router's cache notices at once here and
within its refresh interval elsewhere.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from crm_core.db import Sessions
from crm_core.errors import InvalidFieldError
from crm_core.models import RoutingState
from crm_core.models.enums import AuditAction, Role
from crm_core.services import routing_store as store
from crm_core.services.audit import diff, record
from crm_core.services.base import STAFF, ServiceBase, require_role
from crm_core.services.dto import Actor
from crm_core.services.ordered_rules import switch_or_move
from crm_core.services.routing_caller import CallerLookup, CallerProfile
from crm_core.services.routing_dto import RuleOut, RulePatch, RuleSet, RuleSpec
from crm_core.settings import CrmSettings


class RoutingService(ServiceBase):
    def __init__(self, sessions: Sessions, settings: CrmSettings, engine: AsyncEngine) -> None:
        super().__init__(sessions, settings)
        self._callers = CallerLookup(engine, self.region)
        self.changes = 0  # changes made through this process
        self._queues: Callable[[], Iterable[str]] = lambda: store.DEFAULT_QUEUES

    def use_queues(self, catalog: Callable[[], Iterable[str]]) -> None:
        """Where the PBX's queue names come from (the bridge: queues.conf and live members)."""
        self._queues = catalog

    def known_queues(self) -> list[str]:
        return sorted(set(self._queues()))

    async def rule_set(self) -> RuleSet:
        async with self._sessions() as session:
            version = await store.read_version(session)
            rows = await store.ordered(session)
        return RuleSet(version=version or 0, rules=[store.to_out(row) for row in rows])

    async def version(self) -> int:
        async with self._sessions() as session:
            return await store.read_version(session) or 0

    async def ensure_defaults(self) -> bool:
        """Write the default rules unless rules were ever written; True when it wrote them."""
        try:
            async with self._sessions.begin() as session:
                if await store.read_version(session) is not None:
                    return False
                defaults = enumerate(store.DEFAULT_RULES, start=1)
                session.add_all(store.as_row(spec, i) for i, spec in defaults)
                session.add(RoutingState(id=1, version=1))
        except IntegrityError:  # another process wrote them first
            return False
        self.changes += 1
        return True

    async def caller(self, number: str) -> CallerProfile:
        return await self._callers.profile(number)

    def close(self) -> None:
        self._callers.close()

    async def list(self, actor: Actor) -> list[RuleOut]:
        require_role(actor, *STAFF)
        return (await self.rule_set()).rules

    async def create(self, actor: Actor, spec: RuleSpec, position: int | None = None) -> RuleOut:
        require_role(actor, Role.ADMIN)
        self._check_queues(spec)
        async with self._sessions.begin() as session:
            rows = await store.ordered(session)
            row = store.as_row(spec, 0)
            rows.insert(len(rows) if position is None else max(position - 1, 0), row)
            session.add(row)
            store.renumber(rows)
            await session.flush()
            changes = store.audited(spec, row)
            record(session, actor, AuditAction.CREATE, store.TABLE, row.id, changes)
            await store.bump_version(session)
            out = store.to_out(row)
        self.changes += 1
        return out

    async def replace(self, actor: Actor, rule_id: int, spec: RuleSpec) -> RuleOut:
        require_role(actor, Role.ADMIN)
        self._check_queues(spec)
        async with self._sessions.begin() as session:
            row = await store.get_rule(session, rule_id)
            before = store.audited(store.to_out(row).rule, row)
            store.fill(row, spec)
            record(session, actor, AuditAction.UPDATE, store.TABLE, row.id,
                   diff(before, store.audited(spec, row)))  # fmt: skip
            await store.bump_version(session)
            out = store.to_out(row)
        self.changes += 1
        return out

    async def patch(self, actor: Actor, rule_id: int, data: RulePatch) -> RuleOut:
        require_role(actor, Role.ADMIN)
        async with self._sessions.begin() as session:
            rows = await store.ordered(session)
            row, changed = switch_or_move(rows, rule_id, data, "routing rule")
            record(session, actor, AuditAction.UPDATE, store.TABLE, row.id, changed)
            await store.bump_version(session)
            out = store.to_out(row)
        self.changes += 1
        return out

    async def delete(self, actor: Actor, rule_id: int) -> None:
        require_role(actor, Role.ADMIN)
        async with self._sessions.begin() as session:
            row = await store.get_rule(session, rule_id)
            record(session, actor, AuditAction.DELETE, store.TABLE, row.id,
                   store.audited(store.to_out(row).rule, row))  # fmt: skip
            await session.delete(row)
            await session.flush()
            store.renumber(await store.ordered(session))
            await store.bump_version(session)
        self.changes += 1

    def _check_queues(self, spec: RuleSpec) -> None:
        queue = getattr(spec, "queue", None)
        known = self.known_queues()
        if queue is not None and queue not in known:
            raise InvalidFieldError(
                "queue",
                f"unknown queue {queue!r} (known: {', '.join(known)})",
                code="unknown_queue",
                params={"queue": queue, "known": ", ".join(known)},
            )
