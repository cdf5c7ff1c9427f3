"""Live transcript settings (CTI_LIVE_*)."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class LiveSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CTI_LIVE_", extra="ignore")

    # CTI_LIVE_TRANSCRIPT: decode each answered agent call's two sides while it goes on.
    transcript: bool = False
    # The AudioSocket server Asterisk connects to (port 0: one the system picks).
    listen_host: str = "127.0.0.1"
    listen_port: int = Field(9093, ge=0, le=65535)
    # host:port as Asterisk reaches the server; empty: listen_host and the port listened on.
    server: str = ""
    # Calls decoded at once (two streams, two decoding processes each); past it a call has no
    # live transcript (its page says so) and is transcribed after the call as usual.
    max_calls: int = Field(2, ge=1, le=64)
    # Audio queued for a decoder that falls this far behind stops that stream (said on the page).
    backlog_seconds: float = Field(10.0, gt=0)
    # The dialplan context of the AudioSocket half (dialplans/asterisk/extensions.conf).
    context: str = "cti-live-audio"
