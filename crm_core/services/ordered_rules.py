"""What routing rules and lead rules share: an ordered list (position 1 first) an admin switches
on and off and moves."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol, TypeVar

from crm_core.errors import NotFoundError
from crm_core.services.audit import diff
from crm_core.services.routing_dto import RulePatch


class OrderedRule(Protocol):
    id: Any
    enabled: Any
    position: Any


Rule = TypeVar("Rule", bound=OrderedRule)


def renumber(rows: Sequence[OrderedRule]) -> None:
    for position, row in enumerate(rows, start=1):
        row.position = position


def switch_or_move(
    rows: list[Rule], rule_id: int, data: RulePatch, what: str
) -> tuple[Rule, dict[str, Any]]:
    """Apply `data` to the rule `rule_id` of `rows` (all of them, in order); the rule and the
    audited difference."""
    row = next((r for r in rows if r.id == rule_id), None)
    if row is None:
        raise NotFoundError(what, rule_id)
    before = {"enabled": row.enabled, "position": row.position}
    if data.enabled is not None:
        row.enabled = data.enabled
    if data.position is not None:
        rows.remove(row)
        rows.insert(min(data.position, len(rows) + 1) - 1, row)
        renumber(rows)
    return row, diff(before, {"enabled": row.enabled, "position": row.position})
