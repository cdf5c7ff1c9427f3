"""What each agent's screen shows now, so a browser that (re)connects gets it back."""

from __future__ import annotations

from collections import OrderedDict, defaultdict

from cti.screenpop.messages import Message

MAX_ENDED_KEPT = 5


class PopRegistry:
    """agent -> linkedid -> the last pop message for that call.

    Ringing and answered calls stay until they end; ended calls stay (for the wrap-up form) until
    the agent dismisses them or newer ones push them out.
    """

    def __init__(self) -> None:
        self._pops: dict[str, OrderedDict[str, Message]] = defaultdict(OrderedDict)

    def put(self, agent: str, message: Message) -> list[str]:
        """Keep the call's latest pop; returns the ended calls pushed out by it."""
        pops = self._pops[agent]
        pops[message["linkedid"]] = message
        pops.move_to_end(message["linkedid"])
        return self._trim(pops)

    def remove(self, agent: str, linkedid: str) -> None:
        pops = self._pops.get(agent)
        if pops is not None:
            pops.pop(linkedid, None)
            if not pops:
                del self._pops[agent]

    def current(self, agents: set[str]) -> list[Message]:
        return [
            message for agent in sorted(agents) for message in self._pops.get(agent, {}).values()
        ]

    @staticmethod
    def _trim(pops: OrderedDict[str, Message]) -> list[str]:
        ended = [linkedid for linkedid, message in pops.items() if message["type"] == "ended"]
        for linkedid in ended[:-MAX_ENDED_KEPT]:
            del pops[linkedid]
        return ended[:-MAX_ENDED_KEPT]
