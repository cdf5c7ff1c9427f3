"""Where a kept place stands (pure): behind the callers on the line who joined earlier and the
places kept earlier; the next to dial is the oldest due one with nobody on the line ahead."""

from __future__ import annotations

from datetime import UTC, datetime

from crm_core.models.enums import QueueCallbackStatus
from crm_core.services.dto.queue_callbacks import QueuePlace
from cti.queue_callbacks.places import next_to_dial, standings, view

T0 = 1_800_000_000.0


def place(pid: int, joined: float, status: str = "waiting", due: float = T0) -> QueuePlace:
    at = datetime.fromtimestamp(T0 + joined, UTC)
    return QueuePlace(
        id=pid, call_linkedid=f"call-{pid}", queue="sales", number="+421900000001",
        contact_id=None, queued_at=at, requested_at=at, status=QueueCallbackStatus(status),
        attempts=0, next_attempt_at=datetime.fromtimestamp(due, UTC), dialing_since=None,
        extension="", last_result="",
    )  # fmt: skip


def test_a_place_counts_the_callers_who_joined_before_it_and_older_places() -> None:
    joins = {"sales": [T0 + 5, T0 + 25, T0 + 40]}
    [first, second] = standings([place(2, 30), place(1, 10)], joins)["sales"]
    assert (first.place.id, first.position, first.real_ahead) == (1, 2, 1)
    assert (second.place.id, second.position, second.real_ahead) == (2, 4, 2)


def test_nobody_is_dialled_while_a_caller_on_the_line_joined_earlier() -> None:
    line = standings([place(1, 10)], {"sales": [T0 + 5]})["sales"]
    assert next_to_dial(line, T0 + 60) is None
    assert next_to_dial(standings([place(1, 10)], {})["sales"], T0 + 60) is not None


def test_a_place_being_dialled_or_waiting_out_its_retry_lets_the_next_go() -> None:
    places = [place(1, 10, "dialing"), place(2, 20, due=T0 + 999), place(3, 30)]
    turn = next_to_dial(standings(places, {})["sales"], T0 + 60)
    assert turn is not None
    assert turn.place.id == 3


def test_the_view_names_the_position_and_the_wait_since_joining() -> None:
    [standing] = standings([place(1, 10)], {})["sales"]
    shown = view(standing, T0 + 70)
    assert (shown["position"], shown["waited"], shown["status"]) == (1, 60.0, "waiting")
    assert shown["name"] == ""
