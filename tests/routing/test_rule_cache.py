"""The router's rule cache: a change through this process is seen at once, one made by another
process within the refresh interval, and a database that fails keeps the last rules routing."""

from __future__ import annotations

from crm_core.services import Services, build_services
from crm_core.services.dto import Actor
from crm_core.services.routing_dto import RulePatch
from cti.routing.cache import RuleCache

SYSTEM = Actor.system()


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


async def test_changes_here_at_once_elsewhere_after_the_refresh(services: Services) -> None:
    other = build_services(services.settings, engine=services.engine)  # another process
    clock = Clock()
    cache = RuleCache(services.routing, refresh=5, clock=clock)
    assert (await cache.get()).owner_ring == 15  # the defaults, written on first use
    owner_first = (await services.routing.list(SYSTEM))[0]
    await services.routing.patch(SYSTEM, owner_first.id, RulePatch(enabled=False))
    assert (await cache.get()).owner_ring is None
    await other.routing.patch(SYSTEM, owner_first.id, RulePatch(enabled=True))
    clock.now = 4.9
    assert (await cache.get()).owner_ring is None
    clock.now = 5.0
    assert (await cache.get()).owner_ring == 15
    other.cards.close()


async def test_a_failing_database_keeps_the_last_rules(services: Services) -> None:
    clock = Clock()
    cache = RuleCache(services.routing, refresh=5, clock=clock)
    before = await cache.get()

    async def broken() -> int:
        raise ConnectionError("database gone")

    services.routing.version = broken  # type: ignore[method-assign]
    services.routing.rule_set = broken  # type: ignore[assignment,method-assign]
    clock.now = 10
    assert await cache.get() is before
    services.routing.changes += 1
    assert await cache.get() is before
