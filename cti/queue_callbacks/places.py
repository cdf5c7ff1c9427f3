"""Where each kept place stands in its queue now (pure): behind the real callers who joined the
queue before it and the kept places older than it, as Asterisk would have served them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from crm_core.models.enums import QueueCallbackStatus
from crm_core.services.dto.queue_callbacks import QueuePlace


@dataclass(frozen=True, slots=True)
class Standing:
    place: QueuePlace
    position: int  # 1: the head of the queue
    real_ahead: int  # callers on the line who joined before this place was taken


def standings(
    places: Iterable[QueuePlace], real_joins: Mapping[str, Sequence[float]]
) -> dict[str, list[Standing]]:
    """Per queue, the places in order; `real_joins[queue]` the join times of callers waiting."""
    out: dict[str, list[Standing]] = {}
    for place in sorted(places, key=lambda p: (p.queue, p.queued_at, p.id)):
        mine = out.setdefault(place.queue, [])
        joined = place.queued_at.timestamp()
        ahead = sum(1 for at in real_joins.get(place.queue, ()) if at < joined)
        mine.append(Standing(place, ahead + len(mine) + 1, ahead))
    return out


def next_to_dial(queue: list[Standing], now: float) -> Standing | None:
    """The oldest due waiting place, if no caller on the line is ahead of it. A place being
    dialled is being served, and one waiting out its retry interval lets the next go first."""
    for standing in queue:
        place = standing.place
        if place.status is QueueCallbackStatus.DIALING or place.next_attempt_at.timestamp() > now:
            continue
        return standing if standing.real_ahead == 0 else None
    return None


def view(standing: Standing, now: float) -> dict[str, object]:
    """One kept place as the supervisor's snapshot shows it (`virtual_callers` of a queue)."""
    place = standing.place
    return {
        "linkedid": place.call_linkedid,
        "caller": place.number,
        "name": "" if place.contact_name == place.number else place.contact_name,  # a lead card
        "position": standing.position,
        "waited": max(0.0, now - place.queued_at.timestamp()),
        "status": str(place.status),
        "attempts": place.attempts,
        "extension": place.extension,
        "next_attempt_at": place.next_attempt_at.timestamp(),
    }
