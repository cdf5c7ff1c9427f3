"""Call parking (res_parking): the record shows who parked the caller in which space, and who
took the call back. A blind transfer to the lot's extension is that park, told once (Asterisk
sends BlindTransfer and ParkedCall in either order)."""

from __future__ import annotations

from cti.state.events import AmiEvent
from cti.state.model import Call, Channel
from cti.state.records import Transfer
from cti.state.registry import Registry
from cti.state.transfers import REPEAT_WITHIN_SECONDS, record_transfer


def on_parked_call(reg: Registry, event: AmiEvent) -> None:
    parkee = reg.channel(event, "Parkee")
    call = reg.call_of(parkee)
    if call is None or parkee is None:
        return
    parker = _parker(reg, event, parkee)
    if _blind_to_the_lot(reg, call):
        parker = call.transfers.pop().from_agent or parker
    record_transfer(reg, call, Transfer("park", parker, event.get("ParkingSpace") or None, reg.now))


def on_unparked_call(reg: Registry, event: AmiEvent) -> None:
    call = reg.call_of(reg.channel(event, "Parkee"))
    retriever = reg.channel(event, "Retriever")
    if call is None:
        return
    own = reg.call_of(retriever)
    if own is not None and own is not call and not own.started:
        own.suppressed = True  # the retriever's dial of the space is not a business call
    to = retriever.agent if retriever is not None else None
    record_transfer(reg, call, Transfer("retrieve", event.get("ParkingSpace") or None, to, reg.now))


def _parker(reg: Registry, event: AmiEvent, parkee: Channel) -> str | None:
    """The agent the caller was bridged with when parked; else the one the lot calls back."""
    agents = [party.agent for party in reg.connected_parties(parkee) if party.agent]
    if agents:
        return agents[0]
    dial_string = event.get("ParkerDialString")  # `PJSIP/1001`: a device, not a channel
    return reg.config.agent_of(f"{dial_string}-") if dial_string else None


def _blind_to_the_lot(reg: Registry, call: Call) -> bool:
    last = call.transfers[-1] if call.transfers else None
    return last is not None and last.kind == "blind" and reg.now - last.at <= REPEAT_WITHIN_SECONDS
