"""panoramisk Messages to plain data: AmiEvent for the tracker, dicts for action results."""

from __future__ import annotations

from typing import Any

from panoramisk.message import Message

from cti.state.events import AmiEvent


def message_to_dict(message: Message) -> dict[str, str]:
    fields: dict[str, str] = {}
    for key, value in message.items():
        if key == "content":
            continue
        fields[key] = "\n".join(value) if isinstance(value, list) else str(value)
    return fields


def message_to_event(message: Message, received_at: float) -> AmiEvent:
    headers = message_to_dict(message)
    return AmiEvent(headers.get("Event", ""), headers, received_at)


def responses_to_dicts(result: Any) -> list[dict[str, str]]:
    """panoramisk resolves an action to one Message or, for lists, a list of them."""
    messages = result if isinstance(result, list) else [result]
    return [message_to_dict(m) for m in messages if m is not None]
