"""Who is an agent and what is plumbing: configuration, not channel technology."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

DEFAULT_AGENT_REGEX = r"^(?:PJSIP|SIP|IAX2)/(1\d{3})-"
LOCAL_PREFIX = "Local/"


@dataclass(frozen=True)
class TrackerConfig:
    """`agent_regex` matches an agent device's channel name; group 1 (if any) is the extension.

    Every other non-Local channel is external (a trunk, another tenant); `trunk_regex`, when set,
    further limits what counts as an external party.
    """

    agent_regex: str = DEFAULT_AGENT_REGEX
    trunk_regex: str | None = None
    _agent: re.Pattern[str] = field(init=False, repr=False, compare=False)
    _trunk: re.Pattern[str] | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_agent", re.compile(self.agent_regex))
        trunk = re.compile(self.trunk_regex) if self.trunk_regex else None
        object.__setattr__(self, "_trunk", trunk)

    def agent_of(self, channel: str) -> str | None:
        """The agent's extension for a channel of an agent's device, else None."""
        match = self._agent.search(channel)
        if match is None:
            return None
        return match.group(1) if match.groups() and match.group(1) else _device(channel)

    def is_party(self, channel: str) -> bool:
        if self.agent_of(channel) is not None:
            return True
        if channel.startswith(LOCAL_PREFIX) or not channel:
            return False
        return self._trunk is None or bool(self._trunk.search(channel))


def _device(channel: str) -> str:
    """`PJSIP/alice-0000002a` -> `alice`."""
    resource = channel.partition("/")[2] or channel
    return resource.rsplit("-", 1)[0]
