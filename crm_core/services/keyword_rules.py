"""Keyword rules (issue 16): words or phrases an admin sets ("cancel", "lawyer"); a finished
transcript whose line says one flags the call (`flag_call`), and the bridge tells supervisors.
Reading: supervisors and admins; changes: admins, audited."""

from __future__ import annotations

import re
from collections.abc import Sequence

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from crm_core.errors import InvalidFieldError, NotFoundError
from crm_core.models import Call, KeywordRule, TranscriptFlag, TranscriptLine
from crm_core.models.enums import AuditAction, Role
from crm_core.services.audit import diff, record, snapshot
from crm_core.services.base import STAFF, ServiceBase, require_role
from crm_core.services.dto import Actor
from crm_core.services.dto.transcripts import (
    FlagOut,
    KeywordRuleCreate,
    KeywordRuleOut,
    KeywordRulePatch,
)

TABLE = "transcript_keyword_rules"


def _pattern(keyword: str) -> re.Pattern[str]:
    """Whole words, any case, any run of spaces between a phrase's words."""
    words = [re.escape(word) for word in keyword.split()]
    return re.compile(r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)", re.IGNORECASE)


def matches(rule: KeywordRule, line: TranscriptLine) -> bool:
    return says(rule.keyword, rule.speaker, line.speaker, line.text)


def says(keyword: str, rule_speaker: str, speaker: str, text: str) -> bool:
    """Whether a line of `speaker` saying `text` matches a rule (keyword, speaker)."""
    if rule_speaker != "any" and speaker not in (rule_speaker, "both"):
        return False
    return _pattern(keyword).search(text) is not None


class KeywordRuleService(ServiceBase):
    async def list_rules(self, actor: Actor) -> list[KeywordRuleOut]:
        require_role(actor, *STAFF)
        async with self._sessions() as session:
            rows = await session.scalars(select(KeywordRule).order_by(KeywordRule.keyword))
            return [KeywordRuleOut.model_validate(row) for row in rows]

    async def create(self, actor: Actor, data: KeywordRuleCreate) -> KeywordRuleOut:
        require_role(actor, Role.ADMIN)
        keyword = " ".join(data.keyword.lower().split())
        try:
            async with self._sessions.begin() as session:
                row = KeywordRule(keyword=keyword, speaker=data.speaker.value, enabled=data.enabled)
                session.add(row)
                await session.flush()
                out = KeywordRuleOut.model_validate(row)
                record(session, actor, AuditAction.CREATE, TABLE, row.id, snapshot(out))
                return out
        except IntegrityError as exc:
            raise InvalidFieldError(
                "keyword",
                f"{keyword!r} already has a rule",
                code="keyword_taken",
                params={"keyword": keyword},
            ) from exc

    async def patch(self, actor: Actor, rule_id: int, data: KeywordRulePatch) -> KeywordRuleOut:
        require_role(actor, Role.ADMIN)
        async with self._sessions.begin() as session:
            row = await self._get(session, rule_id)
            before = snapshot(KeywordRuleOut.model_validate(row))
            for key, value in data.model_dump(exclude_unset=True, exclude_none=True).items():
                setattr(row, key, getattr(value, "value", value))
            await session.flush()
            out = KeywordRuleOut.model_validate(row)
            changes = diff(before, snapshot(out))
            if changes:
                record(session, actor, AuditAction.UPDATE, TABLE, rule_id, changes)
            return out

    async def delete(self, actor: Actor, rule_id: int) -> None:
        """Flags already raised stay on their calls."""
        require_role(actor, Role.ADMIN)
        async with self._sessions.begin() as session:
            row = await self._get(session, rule_id)
            gone = snapshot(KeywordRuleOut.model_validate(row))
            await session.delete(row)
            record(session, actor, AuditAction.DELETE, TABLE, rule_id, gone)

    async def flag_call(self, call_id: int) -> list[FlagOut]:
        """Match the enabled rules against the call's stored transcript; the flags replace the
        call's earlier ones (a transcript made again is judged again)."""
        async with self._sessions.begin() as session:
            rules = list(await session.scalars(select(KeywordRule).where(KeywordRule.enabled)))
            lines = await _lines(session, call_id)
            await session.execute(delete(TranscriptFlag).where(TranscriptFlag.call_id == call_id))
            flags = [
                TranscriptFlag(
                    call_id=call_id,
                    rule_id=rule.id,
                    keyword=rule.keyword,
                    speaker=line.speaker,
                    start_ms=line.start_ms,
                    text=line.text,
                )
                for rule in rules
                for line in _first_match(rule, lines)
            ]
            session.add_all(flags)
            return [FlagOut.model_validate(flag) for flag in flags]

    async def enabled_rules(self) -> list[KeywordRuleOut]:
        """The rules in force, for the bridge's own matching (the live transcript)."""
        async with self._sessions() as session:
            rows = await session.scalars(select(KeywordRule).where(KeywordRule.enabled))
            return [KeywordRuleOut.model_validate(row) for row in rows]

    async def flag_live(
        self, linkedid: str, rule_ids: Sequence[int], speaker: str, start_ms: int, text: str
    ) -> tuple[int, list[FlagOut]] | None:
        """A line said while the call is on matched these rules: each flags the call once (a
        rule that flagged it already is skipped). None when the call is not written yet. The
        finished transcript's flags replace these later (`flag_call`)."""
        async with self._sessions.begin() as session:
            call_id = await session.scalar(select(Call.id).where(Call.linkedid == linkedid))
            if call_id is None:
                return None
            done = set(
                await session.scalars(
                    select(TranscriptFlag.rule_id).where(TranscriptFlag.call_id == call_id)
                )
            )
            rules = await session.scalars(
                select(KeywordRule).where(KeywordRule.id.in_(rule_ids), KeywordRule.enabled)
            )
            flags = [
                TranscriptFlag(
                    call_id=call_id,
                    rule_id=rule.id,
                    keyword=rule.keyword,
                    speaker=speaker,
                    start_ms=start_ms,
                    text=text,
                )
                for rule in rules
                if rule.id not in done
            ]
            session.add_all(flags)
            return call_id, [FlagOut.model_validate(flag) for flag in flags]

    async def _get(self, session: AsyncSession, rule_id: int) -> KeywordRule:
        row = await session.get(KeywordRule, rule_id)
        if row is None:
            raise NotFoundError("keyword rule", rule_id)
        return row


async def _lines(session: AsyncSession, call_id: int) -> Sequence[TranscriptLine]:
    rows = await session.scalars(
        select(TranscriptLine)
        .where(TranscriptLine.call_id == call_id)
        .order_by(TranscriptLine.start_ms, TranscriptLine.id)
    )
    return list(rows)


def _first_match(rule: KeywordRule, lines: Sequence[TranscriptLine]) -> list[TranscriptLine]:
    """The first line that says the rule's keyword: one flag per rule and call."""
    return next(([line] for line in lines if matches(rule, line)), [])
