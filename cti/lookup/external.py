"""Asking the other CRM who is calling.

The contract (README, "External card lookup"): `GET <CTI_LOOKUP_URL>?e164=<E.164>` answers 200
with `{"name", "company", "owner_extension", "link"}` (each optional but `name`), or 404 when
the number is not known there. Anything else — a time-out past the budget, a 5xx, a body that
is not that JSON — counts as "no answer": the local card is used and nothing is cached, so the
next call asks again.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass

import httpx
from pydantic import BaseModel, Field, ValidationError

from cti.ami.metrics import Counters
from cti.lookup.settings import LookupSettings

log = logging.getLogger(__name__)


class ExternalCard(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    company: str = Field("", max_length=200)
    owner_extension: str = Field("", max_length=32, pattern=r"^[0-9*#]*$")
    link: str = Field("", max_length=2000, pattern=r"^(https?://\S+)?$")


@dataclass(frozen=True, slots=True)
class _Kept:
    card: ExternalCard | None
    until: float


class ExternalLookup:
    def __init__(self, settings: LookupSettings, metrics: Counters | None = None) -> None:
        self.settings = settings
        self._metrics = metrics or Counters()
        self._cache: dict[str, _Kept] = {}
        self._client: httpx.AsyncClient | None = None  # made at the first question

    @property
    def enabled(self) -> bool:
        return bool(self.settings.url)

    async def close(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    def _http(self) -> httpx.AsyncClient:
        if self._client is None:
            token = self.settings.token
            headers = {"Authorization": f"Bearer {token}"} if token else {}
            self._client = httpx.AsyncClient(headers=headers, follow_redirects=False)
        return self._client

    async def card(self, e164: str) -> ExternalCard | None:
        """The other CRM's card for `e164`, or None (unknown there, or no answer in time)."""
        kept = self._cache.get(e164)
        if kept is not None and kept.until > time.monotonic():
            self._metrics.inc("lookup.cached")
            return kept.card
        try:
            async with asyncio.timeout(self.settings.budget_seconds):
                return await self._ask(e164)
        except TimeoutError:
            self._metrics.inc("lookup.timeouts")
            log.warning("external lookup of %s took over %.2f s: local card only",
                        e164, self.settings.budget_seconds)  # fmt: skip
        except (httpx.HTTPError, ValueError, ValidationError) as exc:
            self._metrics.inc("lookup.errors")
            log.warning("external lookup of %s failed (%s): local card only", e164, exc)
        return None

    async def _ask(self, e164: str) -> ExternalCard | None:
        response = await self._http().get(self.settings.url, params={"e164": e164})
        if response.status_code == 404:
            self._keep(e164, None, self.settings.miss_cache_seconds)
            return None
        response.raise_for_status()
        card = ExternalCard.model_validate_json(response.content)
        self._keep(e164, card, self.settings.cache_seconds)
        self._metrics.inc("lookup.found")
        return card

    def _keep(self, e164: str, card: ExternalCard | None, seconds: float) -> None:
        if seconds > 0:
            self._cache[e164] = _Kept(card, time.monotonic() + seconds)
