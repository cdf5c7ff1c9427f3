"""Settings of the bridge, read from the environment (every variable is listed in the README)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from cti.pbxs import DEFAULT_PBX, PbxConfig, unique_names

LeadPolicy = Literal["always", "answered", "never"]
Role = Literal["all", "web", "ingest"]


class BridgeSettings(BaseSettings):
    """How the bridge reaches Asterisk, the browser and the event bus."""

    model_config = SettingsConfigDict(env_prefix="CTI_", extra="ignore")

    ami_host: str = "127.0.0.1"
    ami_port: int = 5038
    ami_user: str = "cti"
    ami_secret: str = "cti-secret"
    ami_ping_interval: float = Field(5.0, gt=0)
    agi_host: str = "127.0.0.1"
    agi_port: int = 4573
    bus_url: str = "memory://"
    # What `cti serve` runs (cti/composition.py): all (one process), web (API, pages, websockets;
    # any number of replicas, needs a redis:// bus) or ingest (AMI, tracker, call log, routing
    # hook, call-back schedulers). `--role` wins.
    role: Role = "all"
    # The Redis stream's bound (XADD MAXLEN ~), and this web process's reader name: with one, a
    # restarted process reads on from the last id it saw (empty: from the newest entry).
    bus_maxlen: int = Field(10_000, ge=100)
    bus_reader: str = ""
    # A web replica's telephony request waits this long for the ingest's answer, then is a 503.
    action_timeout: float = Field(3.0, gt=0, le=30)
    # `--role ingest` on PostgreSQL (cti/ingest/lease.py): the ingests of one Asterisk share a
    # lease name; the holder is active, the others hot standbys. A holder silent for
    # `lease_timeout` seconds (paused, cut off) loses the lease to a standby.
    lease_name: str = Field("ingest", min_length=1, max_length=64)
    lease_timeout: float = Field(1.5, ge=0.5, le=30)
    agent_channel_regex: str = r"^(?:PJSIP|SIP|IAX2)/(1\d{3})-"
    lead_policy: LeadPolicy = "always"
    ingest: bool = True
    sandbox: bool = True
    # The browser softphone (cti/web/sip_credentials.py): each agent's SIP password, as
    # "1001=secret,1002=other" pairs; a "*" entry is a formula for the rest ("*=sandbox-{ext}").
    sip_passwords: str = ""
    # Asterisk's SIP WebSocket URLs for the browser, comma-separated; {host} is the page's host.
    sip_ws_servers: str = "wss://{host}:8089/ws"
    # Scheduled call-backs (cti/callbacks/): how often due ones are looked for; whether the
    # bridge may dial an auto-dial call-back itself when the agent is free.
    callback_poll_seconds: float = Field(2.0, gt=0)
    callback_auto_dial: bool = True
    # Queue call-back (cti/queue_callbacks/): a caller who pressed the key is called back when
    # their kept place reaches the head of the queue and a member is free; a caller who does not
    # answer is tried `attempts` times, `retry_seconds` apart, then gets a call-back task.
    queue_callback_enabled: bool = True
    queue_callback_poll_seconds: float = Field(1.0, gt=0)
    queue_callback_attempts: int = Field(3, ge=1, le=10)
    queue_callback_retry_seconds: float = Field(120.0, ge=0)
    # How long the agent's phone rings for a call-back before that agent is passed over.
    queue_callback_agent_ring_seconds: float = Field(20.0, ge=5, le=300)
    # The PBX's CEL log as JSON lines (dialplans/asterisk/cel_custom.conf), read after a restart
    # or an AMI gap to settle the calls missed meanwhile; empty: settle from the listing alone.
    # `make run` on the sandbox sets it to the sandbox's file.
    cel_path: str = ""
    gap_max_seconds: float = Field(24 * 3600.0, gt=0)
    # Queue parameters AMI does not report (cti/stats/queue_config.py): the PBX's queues.conf
    # (each queue's wrapuptime; servicelevel and strategy until QueueStatus answers), and
    # wrap-up seconds per queue, JSON ({"support": 10}), which win over the file. `make run` on
    # the sandbox reads the sandbox's own queues.conf.
    queues_conf: str = ""
    queue_wrapup: dict[str, Annotated[float, Field(ge=0)]] = Field(default_factory=dict)
    # The PBXs (cti/pbxs.py): a JSON list of {"name", "ami_host", ...}; empty: one PBX named
    # "default" reached by the CTI_AMI_* settings above. `pbx` (CTI_PBX, `cti serve --pbx`):
    # the one PBX this ingest serves; empty: every configured PBX, in this process.
    pbxs: Annotated[list[PbxConfig], AfterValidator(unique_names)] = Field(default_factory=list)
    pbx: str = ""
    # The agent page's folder; empty: the one the wheel ships, else a checkout's
    # web_softphone/dist (cti/app.py:softphone_dir).
    web_dir: str = ""

    def pbx_configs(self) -> list[PbxConfig]:
        """Every PBX configured (CTI_PBXS), else the one the CTI_AMI_* settings reach."""
        return list(self.pbxs) or [PbxConfig(name=DEFAULT_PBX)]

    def served_pbxs(self) -> list[PbxConfig]:
        """The PBXs this process serves: the one `pbx` names, else all of them."""
        configs = self.pbx_configs()
        if not self.pbx:
            return configs
        chosen = [config for config in configs if config.name == self.pbx]
        if not chosen:
            known = ", ".join(config.name for config in configs)
            raise ValueError(f"no PBX named {self.pbx!r} is configured (CTI_PBXS: {known})")
        return chosen

    def for_pbx(self, pbx: PbxConfig) -> BridgeSettings:
        """These settings with the PBX's own AMI, hook port and files in place of CTI_*'s."""
        fields = ("ami_host", "ami_port", "ami_user", "ami_secret", "agent_channel_regex",
                  "agi_port", "cel_path", "queues_conf")  # fmt: skip
        update = {name: getattr(pbx, name) for name in fields if getattr(pbx, name) is not None}
        return self.model_copy(update=update | {"pbx": pbx.name})
