"""The event bus between the ingest pipeline and the websocket endpoints.

`memory://` (default) keeps everything in one process; `redis://...` lets the ingest and several web
workers run as separate processes.
"""

from cti.bus.base import Bus, Subscription
from cti.bus.factory import create_bus

__all__ = ["Bus", "Subscription", "create_bus"]
