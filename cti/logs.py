"""Logging for `cti serve`: plain text (default) or one JSON object a line (CTI_LOG_FORMAT=json).

A line about a call carries the call: pass `extra=about(linkedid)` to the log call, or run the
code inside `with call_context(linkedid):`. The JSON line then has `linkedid` and `call_id`,
the call's stable id (CTI_PBX_ID + linkedid, the same as in webhook events), so a log search
for one call finds every line about it.
"""

from __future__ import annotations

import contextlib
import json
import logging
import sys
from collections.abc import Iterator
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any, Literal

from pydantic_settings import BaseSettings, SettingsConfigDict

LogFormat = Literal["text", "json"]
CURRENT_CALL: ContextVar[str | None] = ContextVar("cti_current_call", default=None)
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class LogSettings(BaseSettings):
    """CTI_LOG_FORMAT (text | json) and CTI_LOG_LEVEL."""

    model_config = SettingsConfigDict(env_prefix="CTI_LOG_", extra="ignore")

    format: LogFormat = "text"
    level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"


def about(linkedid: str) -> dict[str, str]:
    """`extra=` for a log call about one call."""
    return {"linkedid": linkedid}


@contextlib.contextmanager
def call_context(linkedid: str) -> Iterator[None]:
    token = CURRENT_CALL.set(linkedid)
    try:
        yield
    finally:
        CURRENT_CALL.reset(token)


class JsonFormatter(logging.Formatter):
    def __init__(self, pbx_id: str) -> None:
        super().__init__()
        self.pbx_id = pbx_id

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        linkedid = getattr(record, "linkedid", None) or CURRENT_CALL.get()
        if linkedid:
            line["linkedid"] = linkedid
            line["call_id"] = f"{self.pbx_id}:{linkedid}"
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


def configure_logging(log_format: LogFormat, pbx_id: str, level: str = "INFO") -> None:
    """One handler on the root logger (stderr); uvicorn's loggers propagate to it."""
    handler = logging.StreamHandler(sys.stderr)
    if log_format == "json":
        handler.setFormatter(JsonFormatter(pbx_id))
    else:
        handler.setFormatter(logging.Formatter(TEXT_FORMAT))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logging.getLogger(name).handlers[:] = []
        logging.getLogger(name).propagate = True
