"""Rows of `lead_rules` to DTOs and back."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from crm_core.errors import NotFoundError
from crm_core.models import LeadRule
from crm_core.services.lead_rules_dto import LeadRuleOut, LeadRuleSpec
from crm_core.services.ordered_rules import renumber as renumber

TABLE = "lead_rules"


def to_out(row: LeadRule) -> LeadRuleOut:
    fields = {"enabled": row.enabled, "name": row.name, **row.params}
    return LeadRuleOut(id=row.id, position=row.position, rule=LeadRuleSpec.model_validate(fields))


def params_of(spec: LeadRuleSpec) -> dict[str, Any]:
    return spec.model_dump(mode="json", exclude={"enabled", "name"})


def fill(row: LeadRule, spec: LeadRuleSpec) -> None:
    row.enabled, row.name, row.params = spec.enabled, spec.name, params_of(spec)


async def ordered(session: AsyncSession, enabled_only: bool = False) -> list[LeadRule]:
    statement = select(LeadRule).order_by(LeadRule.position, LeadRule.id)
    if enabled_only:
        statement = statement.where(LeadRule.enabled)
    return list(await session.scalars(statement))


async def get_rule(session: AsyncSession, rule_id: int) -> LeadRule:
    row = await session.get(LeadRule, rule_id)
    if row is None:
        raise NotFoundError("lead rule", rule_id)
    return row


def audited(spec: LeadRuleSpec, row: LeadRule) -> dict[str, object]:
    return {"enabled": spec.enabled, "name": spec.name, "position": row.position,
            **params_of(spec)}  # fmt: skip
