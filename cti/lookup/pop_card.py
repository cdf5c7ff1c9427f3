"""The pop's card with the other CRM's answer beside the local one.

Both are asked at once; the local card waits as it always did, the other CRM at most its
budget. The result is the local card (or an empty one for an unknown number) with `external`
set to the other CRM's card and its name (`crm`, CTI_LOOKUP_CRM_NAME), or left out when it did
not answer.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from crm_core.phones import normalise_phone
from cti.lookup.external import ExternalCard, ExternalLookup

Message = dict[str, Any]
CardLookup = Callable[[str], Awaitable[Message | None]]


def _empty_card(e164: str) -> Message:
    return {"phone": e164, "contact": None, "company": None, "owner": None, "last_calls": [],
            "open_tasks": [], "last_notes": [], "other_matches": []}  # fmt: skip


def _merged(
    local: Message | None, external: ExternalCard | None, e164: str, crm: str
) -> Message | None:
    if external is None:
        return local
    card = dict(local) if local is not None else _empty_card(e164)
    card["external"] = external.model_dump() | {"crm": crm}
    return card


def with_external(local: CardLookup, external: ExternalLookup, region: str) -> CardLookup:
    """`local` alone when no lookup URL is configured."""
    if not external.enabled:
        return local

    async def lookup(number: str) -> Message | None:
        e164 = normalise_phone(number, region).e164
        if e164 is None:
            return await local(number)
        mine, theirs = await asyncio.gather(
            local(number), external.card(e164), return_exceptions=True
        )
        if isinstance(theirs, BaseException):
            raise theirs
        if isinstance(mine, BaseException):  # the local card failed: the other CRM's, if any
            if theirs is None:
                raise mine
            mine = None
        return _merged(mine, theirs, e164, external.settings.crm_name)

    return lookup
