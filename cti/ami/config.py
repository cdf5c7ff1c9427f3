"""How to reach the Asterisk Manager Interface, and how hard to try."""

from __future__ import annotations

from dataclasses import dataclass

from cti.ami.wire import DEFAULT_MAX_MESSAGE_CHARS


@dataclass(frozen=True)
class AmiConfig:
    host: str = "127.0.0.1"
    port: int = 5038
    username: str = "cti"
    secret: str = ""
    ping_interval: float = 5.0
    backoff_min: float = 0.5
    backoff_max: float = 30.0
    connect_timeout: float = 5.0
    action_timeout: float = 10.0
    queue_size: int = 20_000
    max_message_chars: int = DEFAULT_MAX_MESSAGE_CHARS
    # VarSet events of other variables are dropped unparsed (None: all are read)
    variables: frozenset[str] | None = None
