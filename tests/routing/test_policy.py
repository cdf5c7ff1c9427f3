"""Stored rules compiled for the router: order, switches, matching a caller to a priority."""

from __future__ import annotations

from crm_core.services.routing_caller import CallerProfile
from crm_core.services.routing_dto import (
    AfterHours,
    BusinessHours,
    DidQueue,
    OwnerFirst,
    Priority,
    RuleOut,
    RuleSet,
    RuleSpec,
)
from cti.routing.policy import Policy

CLOSED = AfterHours(action="message", target="goodbye")


def compiled(*rules: RuleSpec) -> Policy:
    outs = [RuleOut(id=i, position=i, rule=rule) for i, rule in enumerate(rules, start=1)]
    return Policy.compile(RuleSet(version=7, rules=outs))


def test_the_first_enabled_rule_answers_each_question() -> None:
    policy = compiled(
        OwnerFirst(ring_seconds=20, enabled=False),
        DidQueue(did="100", queue="support"),
        DidQueue(did="100", queue="sales"),
        OwnerFirst(ring_seconds=12),
        BusinessHours(queue="sales", after_hours=CLOSED, enabled=False),
        BusinessHours(queue="sales", timezone="Europe/Prague", after_hours=CLOSED),
    )
    assert policy.version == 7
    assert policy.owner_ring == 12
    assert policy.queue_for("100", "sales", "default") == "support"
    assert policy.hours["sales"].timezone == "Europe/Prague"


def test_without_a_did_rule_the_dialplan_then_the_default_queue() -> None:
    policy = compiled()
    assert policy.queue_for("300", "billing", "sales") == "billing"
    assert policy.queue_for("", "", "sales") == "sales"
    assert policy.owner_ring is None


def test_priority_by_contact_status_or_company_tag_and_queue() -> None:
    policy = compiled(
        Priority(field="company_tag", value="VIP", priority=10, queue="sales"),
        Priority(field="contact_status", value="partner", priority=5),
    )
    vip = CallerProfile(known=True, contact_status="client", company_tags=("vip", "retail"))
    partner = CallerProfile(known=True, contact_status="partner")
    assert policy.priority_for("sales", vip) == policy.priorities[0]
    assert policy.priority_for("support", vip) is None  # the VIP rule is for sales only
    assert policy.priority_for("support", partner) == policy.priorities[1]
    assert policy.priority_for("sales", CallerProfile(known=False)) is None
