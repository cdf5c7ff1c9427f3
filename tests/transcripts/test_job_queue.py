"""The transcription job queue on SQLite and PostgreSQL: queued once a call's recording is
complete, claimed once (two workers never get the same job), retried after a backoff, failed
for good, reclaimed after a dead worker's lease."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from crm_core.models.base import utcnow
from crm_core.services import Services
from crm_core.services.transcript_access import transcript_jobs_of
from crm_core.services.transcript_jobs import Line
from tests.transcripts.conftest import RecordedCall

LEASE = timedelta(minutes=30)


async def test_a_complete_recording_queues_one_job(
    services: Services, recorded_call: RecordedCall
) -> None:
    jobs = transcript_jobs_of(services)
    call_id = await recorded_call("q.1")
    await recorded_call("q.2", complete=False, sides=False)  # MixMonitor's file is not there
    assert await jobs.backlog() == {"queued": 0, "running": 0, "done": 0, "failed": 0}
    assert await asyncio.gather(jobs.queue_recorded(), jobs.queue_recorded()) in (
        [1, 0],
        [0, 1],
        [1, 1],
    )
    assert await jobs.queue_recorded() == 0  # queued once
    assert (await jobs.backlog())["queued"] == 1
    job = await jobs.claim("w1", LEASE)
    assert job is not None
    assert (job.call_id, job.attempts) == (call_id, 1)
    assert await jobs.claim("w2", LEASE) is None
    assert await jobs.backlog() == {"queued": 0, "running": 1, "done": 0, "failed": 0}


async def test_an_old_recording_is_not_queued(
    services: Services, recorded_call: RecordedCall
) -> None:
    await recorded_call("old.1", minutes=3 * 24 * 60)
    assert await transcript_jobs_of(services).queue_recorded() == 0


async def test_two_workers_never_claim_the_same_job(
    services: Services, recorded_call: RecordedCall
) -> None:
    for n in range(6):
        await recorded_call(f"race.{n}", sides=False)
    jobs = transcript_jobs_of(services)
    assert await jobs.queue_recorded() == 6
    claims = await asyncio.gather(*(jobs.claim(f"w{n}", LEASE) for n in range(8)))
    claimed = [job.job_id for job in claims if job is not None]
    assert len(claimed) == len(set(claimed))
    while (job := await jobs.claim("late", LEASE)) is not None:
        claimed.append(job.job_id)
    assert sorted(claimed) == sorted(set(claimed))
    assert len(claimed) == 6


async def test_a_failure_waits_for_its_retry_then_fails_for_good(
    services: Services, recorded_call: RecordedCall
) -> None:
    call_id = await recorded_call("r.1", sides=False)
    jobs = transcript_jobs_of(services)
    await jobs.queue_recorded()
    job = await jobs.claim("w", LEASE)
    assert job is not None
    await jobs.fail(job, "the server is away", utcnow() + timedelta(seconds=60))
    assert await jobs.claim("w", LEASE) is None  # not due yet
    again = await jobs.claim("w", LEASE, now=utcnow() + timedelta(seconds=61))
    assert again is not None
    assert (again.call_id, again.attempts) == (call_id, 2)
    await jobs.fail(again, "still away", None)
    assert await jobs.claim("w", LEASE, now=utcnow() + timedelta(days=1)) is None
    assert (await jobs.backlog())["failed"] == 1
    assert await jobs.retry(call_id)
    assert (await jobs.backlog())["queued"] == 1


async def test_a_dead_workers_job_is_claimed_again_and_its_late_answer_ignored(
    services: Services, recorded_call: RecordedCall
) -> None:
    await recorded_call("l.1", sides=False)
    jobs = transcript_jobs_of(services)
    await jobs.queue_recorded()
    first = await jobs.claim("dead", LEASE)
    assert first is not None
    assert await jobs.claim("other", LEASE) is None  # its lease still runs
    second = await jobs.claim("other", LEASE, now=utcnow() + LEASE + timedelta(seconds=1))
    assert second is not None
    assert second.attempts == 2
    assert not await jobs.complete(first, "pocketsphinx", [Line("caller", 0, 1, "late")], None)
    assert await jobs.complete(second, "pocketsphinx", [Line("caller", 0, 900, "hello")], None)
    assert (await jobs.backlog())["done"] == 1
