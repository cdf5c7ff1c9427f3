"""Lead rules (admins edit them: validated and audited), the leads they placed, and a
supervisor's bulk reassignment (audited per lead). The distribution itself: lead_distribution."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from crm_core.db import Sessions
from crm_core.errors import InvalidFieldError
from crm_core.models import Contact, LeadAssignment, LeadRule, User
from crm_core.models.enums import AuditAction, ContactStatus, Role
from crm_core.services import lead_rules_store as store
from crm_core.services.audit import diff, record
from crm_core.services.base import STAFF, ServiceBase, require_role
from crm_core.services.dto import Actor, UserBrief
from crm_core.services.lead_rules_dto import (
    LeadRow,
    LeadRuleOut,
    LeadRuleSpec,
    Reassign,
    Reassigned,
    TeamPool,
)
from crm_core.services.ordered_rules import switch_or_move
from crm_core.services.routing_dto import RulePatch
from crm_core.settings import CrmSettings

if TYPE_CHECKING:
    from crm_core.services import Services


class LeadRuleService(ServiceBase):
    def __init__(
        self, sessions: Sessions, settings: CrmSettings, queues: Callable[[], Iterable[str]]
    ) -> None:
        super().__init__(sessions, settings)
        self._queues = queues

    async def list_rules(self, actor: Actor) -> list[LeadRuleOut]:
        require_role(actor, *STAFF)
        async with self._sessions() as session:
            return [store.to_out(row) for row in await store.ordered(session)]

    async def create(
        self, actor: Actor, spec: LeadRuleSpec, position: int | None = None
    ) -> LeadRuleOut:
        require_role(actor, Role.ADMIN)
        async with self._sessions.begin() as session:
            await self._check(session, spec)
            rows = await store.ordered(session)
            row = LeadRule(position=0)
            store.fill(row, spec)
            rows.insert(len(rows) if position is None else max(position - 1, 0), row)
            session.add(row)
            store.renumber(rows)
            await session.flush()
            record(session, actor, AuditAction.CREATE, store.TABLE, row.id,
                   store.audited(spec, row))  # fmt: skip
            return store.to_out(row)

    async def replace(self, actor: Actor, rule_id: int, spec: LeadRuleSpec) -> LeadRuleOut:
        require_role(actor, Role.ADMIN)
        async with self._sessions.begin() as session:
            await self._check(session, spec)
            row = await store.get_rule(session, rule_id)
            before = store.audited(store.to_out(row).rule, row)
            store.fill(row, spec)
            record(session, actor, AuditAction.UPDATE, store.TABLE, row.id,
                   diff(before, store.audited(spec, row)))  # fmt: skip
            return store.to_out(row)

    async def patch(self, actor: Actor, rule_id: int, data: RulePatch) -> LeadRuleOut:
        require_role(actor, Role.ADMIN)
        async with self._sessions.begin() as session:
            rows = await store.ordered(session)
            row, changed = switch_or_move(rows, rule_id, data, "lead rule")
            record(session, actor, AuditAction.UPDATE, store.TABLE, row.id, changed)
            return store.to_out(row)

    async def delete(self, actor: Actor, rule_id: int) -> None:
        require_role(actor, Role.ADMIN)
        async with self._sessions.begin() as session:
            row = await store.get_rule(session, rule_id)
            record(session, actor, AuditAction.DELETE, store.TABLE, row.id,
                   store.audited(store.to_out(row).rule, row))  # fmt: skip
            await session.delete(row)
            await session.flush()
            store.renumber(await store.ordered(session))

    async def recent_leads(self, actor: Actor, limit: int = 50) -> list[LeadRow]:
        """The newest leads (not archived), with their owner and why they have them."""
        require_role(actor, *STAFF)
        async with self._sessions() as session:
            contacts = await session.scalars(
                select(Contact)
                .options(selectinload(Contact.owner), selectinload(Contact.phones))
                .where(Contact.status == ContactStatus.LEAD.value, Contact.archived_at.is_(None))
                .order_by(Contact.id.desc())
                .limit(limit)
            )
            return [_lead_row(contact) for contact in contacts]

    async def reassign(self, actor: Actor, data: Reassign) -> Reassigned:
        """Supervisors and admins: the selected cards get `owner_id`; each change audited."""
        require_role(actor, *STAFF)
        async with self._sessions.begin() as session:
            owner = await session.get(User, data.owner_id)
            if owner is None or not owner.active:
                raise InvalidFieldError(
                    "owner_id",
                    f"no active user with id {data.owner_id}",
                    code="unknown_user",
                    params={"id": data.owner_id},
                )
            wanted = sorted(set(data.contact_ids))
            found = dict((await session.execute(
                select(Contact.id, Contact.owner_id)
                .where(Contact.id.in_(wanted), Contact.archived_at.is_(None))
                .with_for_update()
            )).all())  # fmt: skip
            missing = [i for i in wanted if i not in found]
            if missing:
                shown = ", ".join(map(str, missing[:10]))
                raise InvalidFieldError(
                    "contact_ids",
                    f"unknown or removed cards: {shown}",
                    code="unknown_cards",
                    params={"ids": shown},
                )
            await self._reassign(session, actor, owner, found)
            brief = UserBrief(id=owner.id, login=owner.login, display_name=owner.display_name)
            return Reassigned(reassigned=len(found), owner=brief)

    async def _reassign(
        self, session: AsyncSession, actor: Actor, owner: User, found: dict[int, int | None]
    ) -> None:
        name = owner.display_name or owner.login
        reason = f"reassigned to {name} by {actor.login} ({actor.role})"
        await session.execute(update(Contact), [
            {"id": contact_id, "owner_id": owner.id, "assignment_reason": reason}
            for contact_id in found
        ])  # fmt: skip
        for contact_id, before in found.items():
            session.add(LeadAssignment(contact_id=contact_id, user_id=owner.id, how="reassigned",
                                       reason=reason, day=_today()))  # fmt: skip
            changes = {"owner_id": [before, owner.id], "assignment_reason": reason}
            record(session, actor, AuditAction.UPDATE, "contacts", contact_id, changes)

    async def _check(self, session: AsyncSession, spec: LeadRuleSpec) -> None:
        pool = spec.pool
        if isinstance(pool, TeamPool):
            active = set(await session.scalars(select(User.login).where(User.active)))
            unknown = [login for login in pool.members if login not in active]
            if unknown:
                logins = ", ".join(map(repr, unknown))
                raise InvalidFieldError(
                    "pool.members",
                    f"no active user with login {logins}",
                    code="unknown_logins",
                    params={"logins": logins},
                )
            return
        known = sorted(set(self._queues()))
        if pool.queue not in known:
            raise InvalidFieldError(
                "pool.queue",
                f"unknown queue {pool.queue!r} (known: {', '.join(known)})",
                code="unknown_queue",
                params={"queue": pool.queue, "known": ", ".join(known)},
            )


def lead_rules_of(services: Services) -> LeadRuleService:
    """The lead rules over `services`' database, checking queues against the routing's catalogue
    (stateless: cheap to make per request)."""
    return LeadRuleService(services.sessions, services.settings, services.routing.known_queues)


def _today() -> date:
    return datetime.now(UTC).date()


def _lead_row(contact: Contact) -> LeadRow:
    owner = contact.owner
    return LeadRow(
        id=contact.id,
        name=contact.full_name,
        phone=next((p.e164 or p.raw for p in contact.phones), ""),
        source=contact.source,
        language=contact.language,
        owner=None if owner is None else UserBrief.model_validate(owner),
        assignment_reason=contact.assignment_reason,
        created_at=contact.created_at,
    )
