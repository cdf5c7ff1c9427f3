"""The transcript services over a `Services`' database (stateless: cheap to make per request;
the shared container is left as it is)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from crm_core.services.keyword_rules import KeywordRuleService
from crm_core.services.transcript_jobs import TranscriptJobStore
from crm_core.services.transcripts import TranscriptService

if TYPE_CHECKING:
    from crm_core.services import Services


def transcripts_of(services: Services) -> TranscriptService:
    return TranscriptService(services.sessions, services.settings)


def transcript_jobs_of(services: Services) -> TranscriptJobStore:
    return TranscriptJobStore(services.sessions, services.settings)


def keyword_rules_of(services: Services) -> KeywordRuleService:
    return KeywordRuleService(services.sessions, services.settings)
