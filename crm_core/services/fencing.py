"""Fencing: a write of an ingest whose lease was taken over by another is refused.

The ingest holding the lease (cti.ingest.lease) raised the epoch `ingest_leases.token` when it
acquired it and keeps that token in its `Fence`. Every call log and state store transaction of
that process first reads the epoch `FOR SHARE`, in the same transaction as its writes:

- a different epoch (a newer holder took the lease) refuses the whole transaction
  (`FencedOutError`, counted in `refused`), so a deposed ingest that comes back (a paused VM,
  a split network) never writes over what the new holder wrote;
- the share lock makes the new holder's epoch raise wait for a write already under way, so a
  write either commits before the takeover's epoch or is refused after it, never in between.

No fence (SQLite, `make run`, one process) checks nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from crm_core.models import IngestLease


class FencedOutError(Exception):
    """This process's lease token is not the current epoch: another ingest holds the lease."""


@dataclass
class Fence:
    """The lease this process writes under; `token` None: it holds no lease (a standby)."""

    name: str
    token: int | None = None
    refused: int = 0

    async def check(self, session: AsyncSession) -> None:
        """In the writing transaction, before its writes."""
        mine = self.token
        if mine is None:
            self.refused += 1
            raise FencedOutError(f"lease {self.name}: this ingest holds no lease (standby)")
        statement = (
            select(IngestLease.token)
            .where(IngestLease.name == self.name)
            .with_for_update(read=True)
        )
        current = await session.scalar(statement)
        if current != mine:
            self.refused += 1
            raise FencedOutError(
                f"lease {self.name}: token {mine} is not the current epoch {current}"
            )


async def check_fence(fence: Fence | None, session: AsyncSession) -> None:
    if fence is not None:
        await fence.check(session)
