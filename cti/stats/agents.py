"""Agents across queues: one state per agent derived from its memberships, with time in state."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from cti.stats.model import (
    OFFLINE_STATES,
    RINGING,
    TALKING_STATES,
    Agent,
    AgentState,
    Member,
)

_INTERFACE = re.compile(r"^[^/]+/([^@/\-;]+)")


def extension_of(interface: str) -> str:
    """`PJSIP/1001` -> `1001`; `Local/1001@agents` -> `1001`."""
    match = _INTERFACE.match(interface)
    return match.group(1) if match else interface


def derive(members: Iterable[Member], agent: Agent, now: float) -> AgentState:
    listed = list(members)
    if not listed or all(m.status in OFFLINE_STATES for m in listed):
        return AgentState.OFFLINE
    if agent.linkedid is not None or any(m.in_call or m.status in TALKING_STATES for m in listed):
        return AgentState.ON_CALL
    if any(m.status == RINGING for m in listed):
        return AgentState.RINGING
    if any(m.paused for m in listed):
        return AgentState.PAUSED
    if now < agent.wrapup_until:
        return AgentState.WRAPUP
    return AgentState.AVAILABLE


def member_state(member: Member, agent: Agent) -> AgentState:
    """The agent's state as seen by one queue (paused may differ between queues)."""
    if member.status in OFFLINE_STATES:
        return AgentState.OFFLINE
    if agent.state in (AgentState.ON_CALL, AgentState.RINGING):
        return agent.state
    if member.paused:
        return AgentState.PAUSED
    return agent.state if agent.state is AgentState.WRAPUP else AgentState.AVAILABLE


def track_pause(agent: Agent, paused: bool, now: float) -> None:
    if paused and agent.paused_since is None:
        agent.paused_since = now
    elif not paused and agent.paused_since is not None:
        agent.pause_seconds += max(0.0, now - agent.paused_since)
        agent.paused_since = None


def agent_view(
    agent: Agent,
    members: dict[str, Member],
    now: float,
    calls: tuple[str, ...] = (),
    directory: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """`calls`: the calls the phone is on; a direct call shows as the current call too.
    `directory`: the CRM's display name per extension; an agent it lacks is `known: false`
    (shown by its interface); without one (not read yet) `known` is null and `name` Asterisk's."""
    reasons = sorted({m.reason for m in members.values() if m.paused and m.reason})
    pause = agent.pause_seconds + (now - agent.paused_since if agent.paused_since else 0.0)
    crm_name = directory.get(agent.extension) if directory is not None else None
    return {
        "extension": agent.extension,
        "name": crm_name or agent.name,
        "member_name": agent.name,
        "interface": agent.interface or f"PJSIP/{agent.extension}",
        "known": None if directory is None else crm_name is not None,
        "state": str(agent.state),
        "since": agent.since,
        "seconds_in_state": max(0.0, now - agent.since),
        "linkedid": agent.linkedid or next(iter(calls), None),
        "paused_reason": ", ".join(reasons),
        "queues": sorted(members),
        "handled": agent.handled,
        "talk_seconds": agent.talk_seconds,
        "pause_seconds": pause,
    }
