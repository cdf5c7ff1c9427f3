"""The stored routing rules compiled for the router: per question, the first enabled rule that
answers it wins (rules are in the admins' order).

Questions: which queue (a `did_queue` rule for the DID, else the dialplan's queue), is that queue
open (its first `business_hours` rule), which priority (the first matching `priority` rule) and
whether the owner rings first, for how long (the first `owner_first` rule).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from crm_core.services.routing_caller import CallerProfile
from crm_core.services.routing_dto import BusinessHours, DidQueue, OwnerFirst, Priority, RuleSet


@dataclass(frozen=True, slots=True)
class Policy:
    version: int = 0
    did_queues: Mapping[str, str] = field(default_factory=dict)
    hours: Mapping[str, BusinessHours] = field(default_factory=dict)
    priorities: tuple[Priority, ...] = ()
    owner_ring: int | None = None  # None: owner-first is off

    @classmethod
    def compile(cls, rule_set: RuleSet) -> Policy:
        rules = [out.rule for out in rule_set.rules if out.rule.enabled]
        dids: dict[str, str] = {}
        hours: dict[str, BusinessHours] = {}
        for rule in rules:
            if isinstance(rule, DidQueue):
                dids.setdefault(rule.did, rule.queue)
            elif isinstance(rule, BusinessHours):
                hours.setdefault(rule.queue, rule)
        owner = next((rule for rule in rules if isinstance(rule, OwnerFirst)), None)
        return cls(
            version=rule_set.version,
            did_queues=dids,
            hours=hours,
            priorities=tuple(rule for rule in rules if isinstance(rule, Priority)),
            owner_ring=owner.ring_seconds if owner else None,
        )

    def queue_for(self, did: str, dialplan_queue: str, default: str) -> str:
        return self.did_queues.get(did) or dialplan_queue or default

    def priority_for(self, queue: str, caller: CallerProfile) -> Priority | None:
        return next((rule for rule in self.priorities if _matches(rule, queue, caller)), None)


def _matches(rule: Priority, queue: str, caller: CallerProfile) -> bool:
    if rule.queue is not None and rule.queue != queue:
        return False
    if rule.field == "contact_status":
        return caller.contact_status.lower() == rule.value.lower()
    return rule.value.lower() in (tag.lower() for tag in caller.company_tags)
