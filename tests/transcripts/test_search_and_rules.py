"""Full-text search over transcripts (SQLite FTS5, PostgreSQL tsvector) from the API, and the
keyword rules admins set: both databases, the rights, and every bad input a 422 naming the field."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from crm_core.models import AuditEntry, TranscriptJob
from crm_core.models.enums import Role
from crm_core.services import Services
from crm_core.services.transcript_access import keyword_rules_of, transcript_jobs_of
from crm_core.services.transcript_jobs import Line
from tests.crm_core.conftest import SYSTEM, call_record, minutes_ago
from tests.fixtures.db import LoginAs

RULES = "/api/admin/transcript-keywords"


async def _transcribed(
    services: Services, linkedid: str, agent: str, lines: list[Line], minutes: int = 9
) -> int:
    record = call_record(
        linkedid, started_at=minutes_ago(minutes), ended_at=minutes_ago(minutes - 1),
        disposition="answered", answered_by=agent, recording=f"{linkedid}.wav",
    )  # fmt: skip
    call = await services.calls.register(SYSTEM, record)
    await _queue(services, call.id)
    jobs = transcript_jobs_of(services)
    job = await jobs.claim("test", lease=timedelta(minutes=5))
    assert job is not None
    assert job.call_id == call.id
    assert await jobs.complete(job, "test", lines, None)
    return call.id


async def _queue(services: Services, call_id: int) -> None:
    async with services.sessions.begin() as session:
        session.add(TranscriptJob(call_id=call_id, status="queued", attempts=0, claimed_by="",
                                  last_error="", backend=""))  # fmt: skip


async def _search(client: httpx.AsyncClient, headers: dict[str, str], **query: str) -> Any:
    answer = await client.get("/api/transcripts/search", params=query, headers=headers)
    assert answer.status_code == 200, answer.text
    return answer.json()


async def test_search_finds_what_the_client_said_on_the_searchers_calls(
    services: Services, api_client: httpx.AsyncClient, login_as: LoginAs
) -> None:
    agent = await login_as(Role.AGENT, extensions=["1001"])
    supervisor = await login_as(Role.SUPERVISOR)
    mine = await _transcribed(services, "s.1", "1001", [
        Line("caller", 500, 2000, "my invoices are wrong"),
        Line("agent", 2500, 4000, "I will send a new invoice"),
        Line("caller", 4500, 5000, "Ďakujem, faktúra príde zajtra"),
    ])  # fmt: skip
    theirs = await _transcribed(
        services, "s.2", "1002", [Line("caller", 0, 900, "invoice please")], minutes=20
    )
    hits = await _search(api_client, agent.headers, q="invoice")
    assert {hit["call_id"] for hit in hits} == {mine}  # an agent searches their own calls
    assert len(await _search(api_client, supervisor.headers, q="invoice")) == 3
    said_by_client = await _search(api_client, supervisor.headers, q="Invoice", speaker="caller")
    assert [(h["call_id"], h["text"]) for h in said_by_client] == [
        (mine, "my invoices are wrong"), (theirs, "invoice please"),
    ]  # fmt: skip
    two_words = await _search(api_client, supervisor.headers, q="wrong, invoice!")
    assert [hit["start_ms"] for hit in two_words] == [500]
    assert [h["call_id"] for h in await _search(api_client, agent.headers, q="faktúra")] == [mine]
    assert await _search(api_client, supervisor.headers, q="lawyer") == []


@pytest.mark.parametrize(
    ("query", "field"),
    [({"q": "!!! ?"}, "q"), ({}, "q"), ({"q": "x" * 201}, "q"), ({"q": "a", "speaker": "boss"},
     "speaker"), ({"q": "a\x00"}, "q"), ({"q": "a", "limit": "0"}, "limit")],
)  # fmt: skip
async def test_a_bad_search_is_422_naming_the_field(
    api_client: httpx.AsyncClient, login_as: LoginAs, query: dict[str, str], field: str
) -> None:
    agent = await login_as(Role.AGENT)
    answer = await api_client.get("/api/transcripts/search", params=query, headers=agent.headers)
    assert answer.status_code == 422, answer.text
    assert field in str(answer.json()["detail"])


async def test_admins_set_keyword_rules_supervisors_read_them_all_audited(
    services: Services, api_client: httpx.AsyncClient, login_as: LoginAs
) -> None:
    admin = await login_as(Role.ADMIN)
    supervisor = await login_as(Role.SUPERVISOR)
    made = await api_client.post(RULES, json={"keyword": "  Cancel   my contract "},
                                 headers=admin.headers)  # fmt: skip
    assert made.status_code == 201, made.text
    rule = made.json()
    assert (rule["keyword"], rule["speaker"], rule["enabled"]) == (
        "cancel my contract",
        "any",
        True,
    )
    refused = await api_client.post(RULES, json={"keyword": "lawyer"}, headers=supervisor.headers)
    assert refused.status_code == 403
    listed = await api_client.get(RULES, headers=supervisor.headers)
    assert [r["keyword"] for r in listed.json()] == ["cancel my contract"]
    patched = await api_client.patch(f"{RULES}/{rule['id']}", json={"speaker": "caller"},
                                     headers=admin.headers)  # fmt: skip
    assert patched.json()["speaker"] == "caller"
    gone = await api_client.delete(f"{RULES}/{rule['id']}", headers=admin.headers)
    assert gone.status_code == 204
    missing = await api_client.delete(f"{RULES}/{rule['id']}", headers=admin.headers)
    assert missing.status_code == 404
    async with services.sessions() as session:
        actions = await session.scalars(
            select(AuditEntry.action).where(AuditEntry.table_name == "transcript_keyword_rules")
        )
        assert sorted(actions) == ["create", "delete", "update"]


@pytest.mark.parametrize(
    ("body", "field"),
    [({}, "keyword"), ({"keyword": "   "}, "keyword"), ({"keyword": "\u200b"}, "keyword"),
     ({"keyword": "x" * 101}, "keyword"), ({"keyword": "ok", "speaker": "boss"}, "speaker"),
     ({"keyword": "ok", "enabled": "maybe"}, "enabled"), ({"keyword": "lawyer"}, "keyword")],
)  # fmt: skip
async def test_a_bad_keyword_rule_is_422_naming_the_field(
    services: Services, api_client: httpx.AsyncClient, login_as: LoginAs,
    body: dict[str, object], field: str,
) -> None:  # fmt: skip
    from crm_core.services.dto.transcripts import KeywordRuleCreate

    await keyword_rules_of(services).create(SYSTEM, KeywordRuleCreate(keyword="Lawyer"))
    admin = await login_as(Role.ADMIN)
    answer = await api_client.post(RULES, json=body, headers=admin.headers)
    assert answer.status_code == 422, answer.text
    assert field in str(answer.json()["detail"])
    bad_patch = await api_client.patch(f"{RULES}/1", json={"speaker": 3}, headers=admin.headers)
    assert bad_patch.status_code == 422


async def test_phrases_match_whole_words_and_the_speaker(services: Services) -> None:
    from crm_core.services.dto.transcripts import KeywordRuleCreate, RuleSpeaker

    rules = keyword_rules_of(services)
    await rules.create(SYSTEM, KeywordRuleCreate(keyword="cancel my contract"))
    await rules.create(SYSTEM, KeywordRuleCreate(keyword="law", speaker=RuleSpeaker.CALLER))
    await rules.create(SYSTEM, KeywordRuleCreate(keyword="sorry", speaker=RuleSpeaker.CALLER))
    call_id = await _transcribed(services, "k.1", "1001", [
        Line("caller", 0, 1000, "I will CANCEL  my contract"),
        Line("caller", 1000, 2000, "my lawyer says"),  # "law" is not a whole word here
        Line("agent", 2000, 3000, "sorry about that"),  # the agent said it, not the caller
    ])  # fmt: skip
    flags = await rules.flag_call(call_id)
    assert [(flag.keyword, flag.start_ms) for flag in flags] == [("cancel my contract", 0)]
    assert len(await rules.flag_call(call_id)) == 1  # judged again: replaced, not doubled


async def test_the_backlog_for_supervisors(
    services: Services, api_client: httpx.AsyncClient, login_as: LoginAs
) -> None:
    for n in range(3):
        record = call_record(f"b.{n}", ended_at=minutes_ago(1), recording=f"b{n}.wav")
        await _queue(services, (await services.calls.register(SYSTEM, record)).id)
    supervisor = await login_as(Role.SUPERVISOR)
    agent = await login_as(Role.AGENT)
    answer = await api_client.get("/api/transcripts/backlog", headers=supervisor.headers)
    assert answer.json() == {"queued": 3, "running": 0, "done": 0, "failed": 0}
    refused = await api_client.get("/api/transcripts/backlog", headers=agent.headers)
    assert refused.status_code == 403
