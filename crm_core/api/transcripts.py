"""Transcripts (issue 16): a call's transcript with its progress, summary and flags (whoever may
see the call); the full-text search of every line (agents: their own calls); the backlog and a
retry (supervisors and admins); the keyword rules (reading: supervisors and admins; changes:
admins, audited)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from crm_core.api.deps import ActorDep, IdPath, ServicesDep
from crm_core.api.responses import errors
from crm_core.errors import NotFoundError
from crm_core.services.base import STAFF, require_role
from crm_core.services.dto.common import NO_NUL
from crm_core.services.dto.transcripts import (
    KeywordRuleCreate,
    KeywordRuleOut,
    KeywordRulePatch,
    Speaker,
    TranscriptBacklog,
    TranscriptHit,
    TranscriptOut,
)
from crm_core.services.keyword_rules import KeywordRuleService
from crm_core.services.transcript_access import (
    keyword_rules_of,
    transcript_jobs_of,
    transcripts_of,
)
from crm_core.services.transcripts import TranscriptService

router = APIRouter(tags=["transcripts"], responses=errors(400, 401, 403, 404))
RULES = "/admin/transcript-keywords"


def _transcripts(services: ServicesDep) -> TranscriptService:
    return transcripts_of(services)


def _rules(services: ServicesDep) -> KeywordRuleService:
    return keyword_rules_of(services)


TranscriptsDep = Annotated[TranscriptService, Depends(_transcripts)]
RulesDep = Annotated[KeywordRuleService, Depends(_rules)]


@router.get("/calls/{call_id}/transcript")
async def call_transcript(
    actor: ActorDep, transcripts: TranscriptsDep, call_id: IdPath
) -> TranscriptOut:
    """`state`: none (no recording yet), queued, transcribing, done or failed (`error` says
    why); the lines per speaker with their times, the summary when a chat model wrote one."""
    return await transcripts.of_call(actor, call_id)


@router.post("/calls/{call_id}/transcript/retry", status_code=202)
async def retry_transcript(
    actor: ActorDep, services: ServicesDep, transcripts: TranscriptsDep, call_id: IdPath
) -> TranscriptOut:
    """Queue a failed (or finished) transcription again."""
    require_role(actor, *STAFF)
    if not await transcript_jobs_of(services).retry(call_id):
        raise NotFoundError("finished transcription of call", call_id)
    return await transcripts.of_call(actor, call_id)


@router.get("/transcripts/search")
async def search_transcripts(
    actor: ActorDep,
    transcripts: TranscriptsDep,
    q: Annotated[str, Query(min_length=1, max_length=200, pattern=NO_NUL)],
    speaker: Speaker | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> list[TranscriptHit]:
    """Lines holding every word of `q` (each as a prefix), newest call first; `speaker=caller`:
    what the client said."""
    return await transcripts.search(actor, q, speaker, limit)


@router.get("/transcripts/backlog")
async def transcript_backlog(actor: ActorDep, services: ServicesDep) -> TranscriptBacklog:
    require_role(actor, *STAFF)
    return TranscriptBacklog(**await transcript_jobs_of(services).backlog())


@router.get(RULES)
async def list_keyword_rules(actor: ActorDep, rules: RulesDep) -> list[KeywordRuleOut]:
    return await rules.list_rules(actor)


@router.post(RULES, status_code=201)
async def create_keyword_rule(
    actor: ActorDep, rules: RulesDep, body: KeywordRuleCreate
) -> KeywordRuleOut:
    return await rules.create(actor, body)


@router.patch(RULES + "/{keyword_rule_id}")
async def patch_keyword_rule(
    actor: ActorDep, rules: RulesDep, keyword_rule_id: IdPath, body: KeywordRulePatch
) -> KeywordRuleOut:
    return await rules.patch(actor, keyword_rule_id, body)


@router.delete(RULES + "/{keyword_rule_id}", status_code=204)
async def delete_keyword_rule(
    actor: ActorDep, rules: RulesDep, keyword_rule_id: IdPath
) -> Response:
    await rules.delete(actor, keyword_rule_id)
    return Response(status_code=204)
