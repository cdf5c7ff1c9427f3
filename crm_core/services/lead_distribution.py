"""Gives new leads an owner by the admins' lead rules, and says why on the lead.

`distribute(session, actor, leads)` runs inside the transaction that made the leads (a call's
follow-up, an import, the API), so a lead and its owner are written together. It first updates
the one `lead_distribution` row: on PostgreSQL that row lock makes a second distribution wait
until the first commits (and then read its assignments); SQLite has one writer at a time anyway.
So two leads at once never take the same turn. A rule's turn is read from its last assignment
(the next rep after that one, by user id), its reps' counts for today from the assignments of
the day; a lead made by a call that already has an assignment is skipped (a replay assigns
nothing twice).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import phonenumbers
from sqlalchemy import Table, func, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from crm_core.models import AuditEntry, Contact, LeadAssignment, LeadDistribution, User
from crm_core.services import lead_rules_store as store
from crm_core.services.dto import Actor
from crm_core.services.lead_presence import Presence, read_presence
from crm_core.services.lead_rules_dto import Decision, LeadFacts, LeadRuleOut, QueuePool

# The language a caller from a country most likely speaks (when the lead has none of its own).
COUNTRY_LANGUAGE = {
    "SK": "sk", "CZ": "cs", "HU": "hu", "PL": "pl", "AT": "de", "DE": "de", "CH": "de",
    "SI": "sl", "HR": "hr", "RS": "sr", "RO": "ro", "UA": "uk", "GB": "en", "IE": "en",
    "US": "en", "CA": "en", "FR": "fr", "IT": "it", "ES": "es", "NL": "nl", "BE": "nl",
}  # fmt: skip
MAX_REASON = 300


def country_of(e164: str | None) -> str | None:
    if not e164:
        return None
    try:
        region = phonenumbers.region_code_for_number(phonenumbers.parse(e164))
    except phonenumbers.NumberParseException:
        return None
    return str(region) if region and region != "ZZ" else None


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


@dataclass(frozen=True)
class Rep:
    id: int
    name: str
    login: str


@dataclass
class RuleTurns:
    """One rule's pool, whose turn it is, and how many leads each rep had from it today."""

    rule: LeadRuleOut
    reps: list[Rep]
    last_user: int | None
    day: date
    today: dict[int, int] = field(default_factory=dict)

    def in_turn(self) -> list[Rep]:
        """The reps starting with the one after the last assigned (by user id)."""
        after = [rep for rep in self.reps if self.last_user is None or rep.id > self.last_user]
        return after + [rep for rep in self.reps if rep not in after]


@dataclass
class Facts:
    lead: LeadFacts
    country: str | None
    language: str

    @classmethod
    def of(cls, lead: LeadFacts) -> Facts:
        country = country_of(lead.e164)
        language = lead.language or COUNTRY_LANGUAGE.get(country or "", "")
        return cls(lead, country, language)

    def matches(self, rule: LeadRuleOut) -> bool:
        when = rule.rule.when
        checks = (
            (when.sources, self.lead.source),
            (when.dids, self.lead.did),
            (when.countries, self.country),
            (when.languages, self.language),
        )
        if any(wanted and value not in wanted for wanted, value in checks):
            return False
        number = self.lead.e164 or ""
        return not when.prefixes or any(number.startswith(p) for p in when.prefixes)

    def described(self) -> str:
        parts = [f"source {self.lead.source}"]
        if self.lead.did:
            parts.append(f"DID {self.lead.did}")
        if self.country:
            parts.append(f"country {self.country}")
        if self.language:
            parts.append(f"language {self.language}")
        return ", ".join(parts)


class Distributor:
    """The enabled rules as they stand inside one transaction, deciding lead after lead."""

    def __init__(self, session: AsyncSession, rules: list[LeadRuleOut], presence: Presence):
        self._session = session
        self._rules = rules
        self._presence = presence
        self._turns: dict[int, RuleTurns] = {}
        self._users: dict[int, Rep] | None = None

    @classmethod
    async def open(cls, session: AsyncSession) -> Distributor | None:
        """None when no rule is enabled (leads keep the owner they were made with)."""
        rows = await store.ordered(session, enabled_only=True)
        if not rows:
            return None
        await _take_turn_lock(session)
        return cls(session, [store.to_out(row) for row in rows], await read_presence(session))

    async def decide(self, lead: LeadFacts) -> Decision:
        facts = Facts.of(lead)
        unavailable: list[str] = []
        for rule in self._rules:
            if not facts.matches(rule):
                continue
            turns = await self._turns_of(rule)
            decision = self._pick(turns, lead.contact_id)
            if isinstance(decision, Decision):
                return decision
            unavailable.append(f"rule '{rule.rule.name}': {decision}")
        why = "; ".join(unavailable) or f"no lead rule matches ({facts.described()})"
        return Decision(contact_id=lead.contact_id, user_id=None, reason=why)

    def _pick(self, turns: RuleTurns, contact_id: int) -> Decision | str:
        spec = turns.rule.rule
        queue = spec.pool.queue if isinstance(spec.pool, QueuePool) else None
        skipped: list[str] = []
        for rep in turns.in_turn():
            away = self._presence.away_in(rep.id, queue) if spec.skip_away else None
            if away is not None:
                skipped.append(f"{rep.name} ({away})")
                continue
            had = turns.today.get(rep.id, 0)
            if spec.daily_cap is not None and had >= spec.daily_cap:
                skipped.append(f"{rep.name} (at cap {spec.daily_cap})")
                continue
            turns.today[rep.id] = had + 1
            turns.last_user = rep.id
            pool = f"in queue {queue}" if queue else f"among {len(turns.reps)} reps"
            cap = f" of {spec.daily_cap}" if spec.daily_cap is not None else ""
            detail = f"round-robin {pool}, {ordinal(had + 1)}{cap} today"
            if skipped:
                detail += f"; skipped {', '.join(skipped)}"
            reason = f"assigned to {rep.name} by rule '{spec.name}': {detail}"
            return Decision(contact_id=contact_id, user_id=rep.id, rule_id=turns.rule.id,
                            rule_name=spec.name, reason=reason[:MAX_REASON])  # fmt: skip
        if not turns.reps:
            return "nobody in its pool"
        return "nobody available (" + ", ".join(skipped) + ")"

    async def _turns_of(self, rule: LeadRuleOut) -> RuleTurns:
        if rule.id not in self._turns:
            self._turns[rule.id] = await self._read_turns(rule)
        return self._turns[rule.id]

    async def _read_turns(self, rule: LeadRuleOut) -> RuleTurns:
        users = await self._active_users()
        pool = rule.rule.pool
        if isinstance(pool, QueuePool):
            ids = self._presence.queue_members(pool.queue)
        else:
            by_login = {rep.login: rep.id for rep in users.values()}
            ids = {by_login[login] for login in pool.members if login in by_login}
        reps = sorted((users[i] for i in ids if i in users), key=lambda rep: rep.id)
        day = datetime.now(ZoneInfo(rule.rule.timezone)).date()
        last = await self._session.scalar(
            select(LeadAssignment.user_id)
            .where(LeadAssignment.rule_id == rule.id, LeadAssignment.how == "rule")
            .order_by(LeadAssignment.id.desc())
            .limit(1)
        )
        of_today = (
            LeadAssignment.rule_id == rule.id,
            LeadAssignment.how == "rule",
            LeadAssignment.day == day,
        )
        counts = await self._session.execute(
            select(LeadAssignment.user_id, func.count())
            .where(*of_today)
            .group_by(LeadAssignment.user_id)
        )
        today = {user: n for user, n in counts if user is not None}
        return RuleTurns(rule, reps, last, day, today)

    async def _active_users(self) -> dict[int, Rep]:
        if self._users is None:
            rows = await self._session.execute(
                select(User.id, User.display_name, User.login).where(User.active)
            )
            self._users = {uid: Rep(uid, name or login, login) for uid, name, login in rows}
        return self._users

    def day_of(self, decision: Decision) -> date:
        turns = self._turns.get(decision.rule_id or 0)
        return turns.day if turns else datetime.now(UTC).date()


async def _take_turn_lock(session: AsyncSession) -> None:
    table = LeadDistribution.__table__
    assert isinstance(table, Table)
    dialect = session.get_bind().dialect.name
    make = pg_insert(table) if dialect == "postgresql" else sqlite_insert(table)
    await session.execute(make.values(id=1, turns=0).on_conflict_do_nothing(index_elements=["id"]))
    await session.execute(
        update(LeadDistribution).where(LeadDistribution.id == 1)
        .values(turns=LeadDistribution.turns + 1)
    )  # fmt: skip


async def _already_assigned(session: AsyncSession, call_ids: list[int]) -> set[int]:
    if not call_ids:
        return set()
    rows = await session.scalars(
        select(LeadAssignment.call_id).where(LeadAssignment.call_id.in_(call_ids))
    )
    return {call_id for call_id in rows if call_id is not None}


async def distribute(
    session: AsyncSession, actor: Actor, leads: Sequence[LeadFacts]
) -> list[Decision]:
    """Decide and write an owner for each new lead (in order); [] when no rule is enabled."""
    if not leads:
        return []
    distributor = await Distributor.open(session)
    if distributor is None:
        return []
    done = await _already_assigned(session, [lead.call_id for lead in leads if lead.call_id])
    decisions: list[tuple[Decision, LeadFacts]] = []
    for lead in leads:
        if lead.call_id is None or lead.call_id not in done:
            decisions.append((await distributor.decide(lead), lead))
    await _write(session, actor, distributor, decisions)
    return [decision for decision, _ in decisions]


async def _write(
    session: AsyncSession, actor: Actor, distributor: Distributor,
    decisions: list[tuple[Decision, LeadFacts]],
) -> None:  # fmt: skip
    if not decisions:
        return
    ids = [d.contact_id for d, _ in decisions]
    owners = dict((await session.execute(
        select(Contact.id, Contact.owner_id).where(Contact.id.in_(ids))
    )).all())  # fmt: skip
    now = datetime.now(UTC)
    contact_rows: list[dict[str, Any]] = []
    audit_rows: list[dict[str, Any]] = []
    for decision, _lead in decisions:
        before = owners.get(decision.contact_id)
        if decision.user_id is None:
            kept = "left with its creator" if before is not None else "not assigned"
            decision.reason = f"{kept}: {decision.reason}"[:MAX_REASON]
        owner = decision.user_id or before
        contact_rows.append(
            {"id": decision.contact_id, "owner_id": owner, "assignment_reason": decision.reason}
        )
        changes: dict[str, Any] = {"assignment_reason": decision.reason}
        if decision.user_id is not None and decision.user_id != owners.get(decision.contact_id):
            changes["owner_id"] = [owners.get(decision.contact_id), decision.user_id]
        audit_rows.append({"actor_id": actor.id, "actor_login": actor.login, "at": now,
                           "action": "update", "table_name": "contacts",
                           "record_id": decision.contact_id, "changes": changes})  # fmt: skip
    await session.execute(update(Contact), contact_rows)
    await session.execute(insert(LeadAssignment), [
        {"contact_id": d.contact_id, "user_id": d.user_id, "rule_id": d.rule_id,
         "rule_name": d.rule_name, "how": "rule" if d.user_id else "unmatched",
         "reason": d.reason, "call_id": lead.call_id, "day": distributor.day_of(d), "at": now}
        for d, lead in decisions
    ])  # fmt: skip
    await session.execute(insert(AuditEntry), audit_rows)
