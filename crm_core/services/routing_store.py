"""Rows of `routing_rules` to DTOs and back, the default rules, and the version counter."""

from __future__ import annotations

from typing import Any

from pydantic import TypeAdapter
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from crm_core.errors import NotFoundError
from crm_core.models import RoutingRule, RoutingState
from crm_core.services.ordered_rules import renumber as renumber
from crm_core.services.routing_dto import DidQueue, OwnerFirst, RuleOut, RuleSpec

SPEC: TypeAdapter[RuleSpec] = TypeAdapter(RuleSpec)
TABLE = "routing_rules"
# Routing as it was before rules were stored (the same rows as migration 0005 seeds).
DEFAULT_RULES: tuple[RuleSpec, ...] = (
    OwnerFirst(name="owner first", ring_seconds=15),
    DidQueue(name="DID 100", did="100", queue="sales"),
    DidQueue(name="DID 200", did="200", queue="support"),
)
DEFAULT_QUEUES = ("sales", "support")


def to_out(row: RoutingRule) -> RuleOut:
    fields = {"kind": row.kind, "enabled": row.enabled, "name": row.name, **row.params}
    return RuleOut(id=row.id, position=row.position, rule=SPEC.validate_python(fields))


def params_of(spec: RuleSpec) -> dict[str, Any]:
    return spec.model_dump(mode="json", exclude={"kind", "enabled", "name"})


def fill(row: RoutingRule, spec: RuleSpec) -> None:
    row.kind, row.enabled, row.name = spec.kind, spec.enabled, spec.name
    row.params = params_of(spec)


def as_row(spec: RuleSpec, position: int) -> RoutingRule:
    row = RoutingRule(position=position)
    fill(row, spec)
    return row


async def ordered(session: AsyncSession) -> list[RoutingRule]:
    rows = await session.scalars(select(RoutingRule).order_by(RoutingRule.position, RoutingRule.id))
    return list(rows)


async def read_version(session: AsyncSession) -> int | None:
    """None: the defaults were never written (a database not made by the migrations)."""
    version: int | None = await session.scalar(select(RoutingState.version).limit(1))
    return version


async def bump_version(session: AsyncSession) -> None:
    await session.execute(update(RoutingState).values(version=RoutingState.version + 1))


async def get_rule(session: AsyncSession, rule_id: int) -> RoutingRule:
    row = await session.get(RoutingRule, rule_id)
    if row is None:
        raise NotFoundError("routing rule", rule_id)
    return row


def audited(spec: RuleSpec, row: RoutingRule) -> dict[str, object]:
    return {"kind": spec.kind, "enabled": spec.enabled, "name": spec.name,
            "position": row.position, **params_of(spec)}  # fmt: skip
