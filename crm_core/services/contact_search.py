"""Reading many contacts: search by name/company/email/phone (cards gone quiet: rotation.py)."""

from __future__ import annotations

from sqlalchemy import ColumnElement, Select, func, or_, select

from crm_core.models import Company, Contact, Phone
from crm_core.phones import normalise_phone
from crm_core.services.base import ServiceBase
from crm_core.services.contacts import CONTACT_LOAD
from crm_core.services.dto import ContactOut, Page, PageParams
from crm_core.services.phone_ops import phones_matching
from crm_core.text import like_pattern


class ContactSearch(ServiceBase):
    async def search(self, query: str | None, page: PageParams) -> Page[ContactOut]:
        """Contacts whose name, email, position or company contains `query` (case and accents
        ignored), or who own a phone equal to `query` in any spelling; all when `query` is empty."""
        statement = select(Contact).where(Contact.archived_at.is_(None))
        if query and query.strip():
            statement = statement.where(self._matches(query.strip()))
        return await self._page(statement, page)

    def _matches(self, query: str) -> ColumnElement[bool]:
        pattern = like_pattern(query)
        phone = normalise_phone(query, self.region)
        company_hit = (
            select(Company.id)
            .where(Company.search_text.like(pattern, escape="\\"))
            .scalar_subquery()
        )
        phone_hit = select(Phone.contact_id).where(phones_matching(phone.e164, phone.raw))
        return or_(
            Contact.search_text.like(pattern, escape="\\"),
            Contact.company_id.in_(company_hit),
            Contact.id.in_(phone_hit),
        )

    async def _page(self, statement: Select[Contact], page: PageParams) -> Page[ContactOut]:
        async with self._sessions() as session:
            total = await session.scalar(select(func.count()).select_from(statement.subquery()))
            rows = await session.scalars(
                statement.options(*CONTACT_LOAD)
                .order_by(Contact.last_name, Contact.first_name, Contact.id)
                .limit(page.limit)
                .offset(page.offset)
            )
            items = [ContactOut.model_validate(row) for row in rows.unique()]
        return Page(items=items, total=total or 0, limit=page.limit, offset=page.offset)
