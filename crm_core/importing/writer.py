"""Bulk inserts of validated rows: companies, contacts, phones and their audit entries."""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from crm_core.importing.rows import RejectedRow, RowError, ValidRow
from crm_core.models import AuditEntry, Company, Contact, Phone, User
from crm_core.models.base import utcnow
from crm_core.models.enums import ContactStatus
from crm_core.services.dto import Actor
from crm_core.services.lead_distribution import distribute
from crm_core.services.lead_rules_dto import LeadFacts
from crm_core.text import fold, search_text

CHUNK = 5000


class BulkWriter:
    def __init__(self, session: AsyncSession, actor: Actor, source: str) -> None:
        self._session = session
        self._actor = actor
        self._source = source
        self._users: dict[str, int] = {}
        self._companies: dict[str, int] = {}
        self._phones: dict[str, str] = {}

    async def load_lookups(self) -> None:
        rows = await self._session.execute(select(User.login, User.id))
        self._users = {login: user_id for login, user_id in rows}
        companies = await self._session.execute(select(Company.name, Company.id))
        self._companies = {fold(name): company_id for name, company_id in companies}
        phones = await self._session.execute(
            select(Phone.e164, Phone.contact_id, Phone.company_id).where(Phone.e164.is_not(None))
        )
        self._phones = {
            str(e164): f"contact {contact_id}" if contact_id else f"company {company_id}"
            for e164, contact_id, company_id in phones
        }

    def _check_known(self, row: ValidRow) -> None:
        if row.owner and row.owner not in self._users:
            raise RowError(f"owner: no user with login {row.owner!r}")
        for e164, _raw, _kind in row.phones:
            if e164 in self._phones:
                raise RowError(f"phone {e164} already belongs to {self._phones[e164]}")

    def reject_known(self, rows: list[ValidRow], rejected: list[RejectedRow]) -> list[ValidRow]:
        kept: list[ValidRow] = []
        for row in rows:
            try:
                self._check_known(row)
                kept.append(row)
            except RowError as exc:
                rejected.append(RejectedRow(row.line, str(exc)))
        return kept

    async def _insert_ids(self, model: type[Any], values: list[dict[str, Any]]) -> list[int]:
        ids: list[int] = []
        for start in range(0, len(values), CHUNK):
            statement = insert(model).returning(model.id, sort_by_parameter_order=True)
            result = await self._session.execute(statement, values[start : start + CHUNK])
            ids.extend(result.scalars().all())
        return ids

    async def _ensure_companies(self, rows: list[ValidRow]) -> int:
        new_names: dict[str, str] = {}
        for row in rows:
            if row.company and fold(row.company) not in self._companies:
                new_names.setdefault(fold(row.company), row.company)
        now = utcnow()
        values = [
            {
                "name": name,
                "tags": [],
                "notes": "",
                "search_text": key,
                "created_at": now,
                "updated_at": now,
            }
            for key, name in new_names.items()
        ]
        ids = await self._insert_ids(Company, values)
        self._companies.update(zip(new_names, ids, strict=True))
        await self._audit("companies", ids)
        return len(ids)

    def _contact_values(self, row: ValidRow, now: Any) -> dict[str, Any]:
        return {
            "first_name": row.first_name,
            "last_name": row.last_name,
            "company_id": self._companies.get(fold(row.company)) if row.company else None,
            "position": "",
            "email": row.email,
            "owner_id": self._users.get(row.owner),
            "status": row.status,
            "source": self._source[:100],
            "search_text": search_text(row.first_name, row.last_name, row.email),
            "created_at": now,
            "updated_at": now,
        }

    async def _audit(self, table: str, ids: list[int]) -> None:
        now, actor = utcnow(), self._actor
        values = [
            {
                "actor_id": actor.id,
                "actor_login": actor.login,
                "at": now,
                "action": "create",
                "table_name": table,
                "record_id": record_id,
                "changes": {"source": self._source},
            }
            for record_id in ids
        ]
        for start in range(0, len(values), CHUNK):
            await self._session.execute(insert(AuditEntry), values[start : start + CHUNK])

    async def insert(self, rows: list[ValidRow]) -> int:
        """Insert `rows`; returns the number of companies created."""
        created = await self._ensure_companies(rows)
        now = utcnow()
        contact_ids = await self._insert_ids(
            Contact, [self._contact_values(row, now) for row in rows]
        )
        phones = [
            {"e164": e164, "raw": raw, "kind": kind, "label": "", "contact_id": contact_id}
            for row, contact_id in zip(rows, contact_ids, strict=True)
            for e164, raw, kind in row.phones
        ]
        for start in range(0, len(phones), CHUNK):
            await self._session.execute(insert(Phone), phones[start : start + CHUNK])
        await self._audit("contacts", contact_ids)
        await distribute(self._session, self._actor, [
            LeadFacts(contact_id=contact_id, source="import",
                      e164=row.phones[0][0] if row.phones else None)
            for row, contact_id in zip(rows, contact_ids, strict=True)
            if row.status == ContactStatus.LEAD.value and not row.owner
        ])  # fmt: skip
        return created
