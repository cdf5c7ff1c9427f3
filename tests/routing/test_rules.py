"""The routing decision as a pure function of the caller and the owner's extensions."""

from __future__ import annotations

import pytest

from cti.routing.rules import CallerInfo, Decision, ExtensionState, decide

FREE = ExtensionState("1002", logged_in=True)
BUSY = ExtensionState("1002", logged_in=True, busy=True)
LUNCH = ExtensionState("1002", logged_in=True, paused=True, pause_reason="lunch")
OUT = ExtensionState("1002", logged_in=False)


def owned(*states: ExtensionState) -> CallerInfo:
    return CallerInfo(known=True, owner="Alice", extensions=states)


def test_free_owner_rings_first_then_the_queue() -> None:
    decision = decide("sales", owned(FREE), 15)
    assert decision == Decision(
        "sales", "owner Alice free -> ring 1002 for 15 s, then queue sales", "1002", 15
    )
    assert decision.variables() == {
        "CTI_ROUTE_QUEUE": "sales",
        "CTI_ROUTE_TARGET": "1002",
        "CTI_ROUTE_RING": "15",
        "CTI_ROUTE_REASON": decision.reason,
    }


@pytest.mark.parametrize(
    ("caller", "reason"),
    [
        (CallerInfo(known=False), "unknown caller -> queue sales"),
        (CallerInfo(known=True), "client without owner -> queue sales"),
        (owned(), "owner Alice has no extension -> queue sales"),
        (owned(BUSY), "owner Alice busy -> queue sales"),
        (owned(LUNCH), "owner Alice paused (lunch) -> queue sales"),
        (owned(OUT), "owner Alice not logged in -> queue sales"),
    ],
)
def test_otherwise_the_queue_with_the_reason(caller: CallerInfo, reason: str) -> None:
    decision = decide("sales", caller, 15)
    assert (decision.target, decision.reason) == (None, reason)
    assert decision.variables() == {"CTI_ROUTE_QUEUE": "sales", "CTI_ROUTE_REASON": reason}


def test_the_first_free_extension_of_several_is_rung() -> None:
    other = ExtensionState("1009", logged_in=True)
    assert decide("support", owned(BUSY, other), 20).target == "1009"


def test_busy_wins_over_paused_when_explaining() -> None:
    assert decide("sales", owned(LUNCH, BUSY), 15).reason == "owner Alice busy -> queue sales"


def test_a_priority_is_added_to_the_reason_and_the_variables() -> None:
    decision = decide("sales", owned(BUSY), 15).prioritised(10, "VIP")
    assert decision.reason == "owner Alice busy -> queue sales; VIP -> priority 10 in queue sales"
    assert decision.variables()["CTI_ROUTE_PRIO"] == "10"


def test_after_hours_tells_the_dialplan_where_to() -> None:
    decision = Decision("sales", "after hours", after_hours=("voicemail", "100@default"))
    assert decision.variables() == {
        "CTI_ROUTE_QUEUE": "sales",
        "CTI_ROUTE_REASON": "after hours",
        "CTI_ROUTE_AFTER": "voicemail",
        "CTI_ROUTE_DEST": "100@default",
    }


def test_the_packed_answer_is_one_variable_with_the_reason_last() -> None:
    decision = decide("sales", owned(FREE), 15).prioritised(5, "VIP")
    assert decision.packed() == {"CTI_ROUTE": f"sales|1002|15|5|||{decision.reason}"}
    closed = Decision("sales", "after hours | closed", after_hours=("voicemail", "100@default"))
    assert closed.packed() == {"CTI_ROUTE": "sales||||voicemail|100@default|after hours | closed"}
    assert decide("sales", owned(BUSY), 15).packed() == {
        "CTI_ROUTE": "sales||||||owner Alice busy -> queue sales"
    }


def test_a_field_holding_the_separator_cannot_be_packed() -> None:
    with pytest.raises(ValueError, match=r"holds '\|'"):
        Decision("sales|support", "unknown caller").packed()
