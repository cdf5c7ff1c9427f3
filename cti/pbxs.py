"""The PBXs this deployment listens to: a name and how each is reached (CTI_PBXS).

Without CTI_PBXS, the single CTI_AMI_* / CTI_AGI_* / CTI_AGENT_CHANNEL_REGEX settings are one
PBX named "default" (every setup from before several PBXs keeps working unchanged). With it, a
JSON list, each entry one PBX:

    CTI_PBXS='[{"name": "prague", "ami_host": "10.0.0.5"},
               {"name": "brno", "ami_host": "10.0.1.5", "ami_port": 5038, "agi_port": 4574}]'

Fields left out take the CTI_* value (ami_port, ami_user, ami_secret, agent_channel_regex,
agi_port, cel_path, queues_conf); PBXs served by one process need their own agi_port each.
Calls are keyed by (pbx, linkedid), agents' extensions belong to one PBX (`users.pbx`).
"""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator

from crm_core.services.dto.calls import DEFAULT_PBX, PBX_PATTERN

PbxName = Annotated[str, Field(pattern=PBX_PATTERN)]
__all__ = ["DEFAULT_PBX", "PbxConfig", "agent_key", "unique_names"]


def agent_key(pbx: str, extension: str) -> str:
    """An agent's extension as the bus, the pop registry and /ws/agent know it: the extension
    itself on the PBX "default" (as before several PBXs), "1001@brno" on another PBX, so the
    same extension number on two PBXs never gets the other's pops."""
    return extension if pbx == DEFAULT_PBX else f"{extension}@{pbx}"


class PbxConfig(BaseModel):
    """One PBX: its name (on every call record and in the agents' extensions) and its AMI."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: PbxName
    ami_host: str | None = None
    ami_port: int | None = Field(None, ge=1, le=65535)
    ami_user: str | None = None
    ami_secret: str | None = None
    agent_channel_regex: str | None = None
    agi_port: int | None = Field(None, ge=1, le=65535)
    cel_path: str | None = None
    queues_conf: str | None = None

    @field_validator("agent_channel_regex")
    @classmethod
    def _compiles(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                re.compile(value)
            except re.error as exc:
                raise ValueError(f"not a regular expression: {exc}") from exc
        return value


def unique_names(pbxs: list[PbxConfig]) -> list[PbxConfig]:
    names = [pbx.name for pbx in pbxs]
    twice = sorted({name for name in names if names.count(name) > 1})
    if twice:
        raise ValueError(f"PBX names must be unique; given twice: {', '.join(twice)}")
    return pbxs
