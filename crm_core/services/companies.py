"""Companies: create, read, list, change, delete, add phones."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload, selectinload

from crm_core.errors import NotFoundError
from crm_core.models import Company
from crm_core.models.enums import AuditAction
from crm_core.services.audit import diff, record, snapshot
from crm_core.services.base import ServiceBase
from crm_core.services.card_archive import archive_company
from crm_core.services.card_rights import check_may_remove_company
from crm_core.services.contacts import check_references
from crm_core.services.dto import (
    Actor,
    CompanyCreate,
    CompanyOut,
    CompanyUpdate,
    Page,
    PageParams,
    PhoneIn,
    PhoneOut,
)
from crm_core.services.phone_ops import attach_phones, raise_phone_taken
from crm_core.text import like_pattern, search_text

COMPANY_LOAD = (joinedload(Company.owner), selectinload(Company.phones))


async def load_company(session: AsyncSession, company_id: int) -> Company:
    company = await session.scalar(
        select(Company)
        .where(Company.id == company_id, Company.archived_at.is_(None))
        .options(*COMPANY_LOAD)
    )
    if company is None:
        raise NotFoundError("company", company_id)
    return company


class CompanyService(ServiceBase):
    async def create(self, actor: Actor, data: CompanyCreate) -> CompanyOut:
        try:
            return await self._create(actor, data)
        except IntegrityError as exc:  # a phone taken meanwhile by another card
            await raise_phone_taken(self._sessions, self.region, data.phones, exc)

    async def _create(self, actor: Actor, data: CompanyCreate) -> CompanyOut:
        async with self._sessions.begin() as session:
            await check_references(session, None, data.owner_id)
            company = Company(**data.model_dump(exclude={"phones"}))
            company.search_text = search_text(data.name, *data.tags)
            session.add(company)
            await session.flush()
            record(session, actor, AuditAction.CREATE, "companies", company.id, snapshot(data))
            await attach_phones(session, actor, self.region, data.phones, company_id=company.id)
            return await self._out(session, company.id)

    async def get(self, company_id: int) -> CompanyOut:
        async with self._sessions() as session:
            return CompanyOut.model_validate(await load_company(session, company_id))

    async def list(self, query: str | None, page: PageParams) -> Page[CompanyOut]:
        statement = select(Company).where(Company.archived_at.is_(None))
        if query and query.strip():
            statement = statement.where(Company.search_text.like(like_pattern(query), escape="\\"))
        async with self._sessions() as session:
            total = await session.scalar(select(func.count()).select_from(statement.subquery()))
            rows = await session.scalars(
                statement.options(*COMPANY_LOAD)
                .order_by(Company.name, Company.id)
                .limit(page.limit)
                .offset(page.offset)
            )
            items = [CompanyOut.model_validate(row) for row in rows.unique()]
        return Page(items=items, total=total or 0, limit=page.limit, offset=page.offset)

    async def update(self, actor: Actor, company_id: int, data: CompanyUpdate) -> CompanyOut:
        async with self._sessions.begin() as session:
            company = await load_company(session, company_id)
            changes: dict[str, Any] = data.model_dump(mode="json", exclude_unset=True)
            await check_references(session, None, changes.get("owner_id"))
            before = {key: getattr(company, key) for key in changes}
            for key, value in changes.items():
                setattr(company, key, value)
            company.search_text = search_text(company.name, *company.tags)
            await session.flush()
            after = {key: getattr(company, key) for key in changes}
            record(session, actor, AuditAction.UPDATE, "companies", company_id, diff(before, after))
            return await self._out(session, company_id)

    async def delete(self, actor: Actor, company_id: int) -> None:
        """Archive the company (crm_core.services.card_archive), if `actor` may remove it."""
        async with self._sessions.begin() as session:
            company = await load_company(session, company_id)
            check_may_remove_company(actor, company)
            before = CompanyOut.model_validate(company).model_dump(mode="json")
            await archive_company(session, actor, company, before)

    async def add_phone(self, actor: Actor, company_id: int, data: PhoneIn) -> PhoneOut:
        try:
            async with self._sessions.begin() as session:
                await load_company(session, company_id)
                rows = await attach_phones(
                    session, actor, self.region, [data], company_id=company_id
                )
                return PhoneOut.model_validate(rows[0])
        except IntegrityError as exc:  # a phone taken meanwhile by another card
            await raise_phone_taken(self._sessions, self.region, [data], exc)

    async def _out(self, session: AsyncSession, company_id: int) -> CompanyOut:
        await session.flush()  # pending audit entries must not be dropped
        session.expunge_all()
        return CompanyOut.model_validate(await load_company(session, company_id))
