"""The voicemail scan, read from the environment (README "Voicemail on the card").

Where the spool is, is the CRM's `CTI_VOICEMAIL_DIR` (crm_core/settings.py): the API reads the
audio there and the scan reads the messages there.
"""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class VoicemailSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CTI_VOICEMAIL_", extra="ignore")

    # read the messages into the cards at all (off: the spool is never looked at)
    enabled: bool = True
    # a whole pass over the spool this often; a MessageWaiting event scans its box at once
    scan_seconds: float = Field(60.0, gt=0)
    # how long a new message waits for its call to be written before it is linked without one
    link_grace_seconds: float = Field(60.0, ge=0)
