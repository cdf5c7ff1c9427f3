"""Reading recorded AMI text: tolerant of LF-only files, junk, responses, no final blank line."""

from __future__ import annotations

from cti.ami.recorded import parse_ami_text, parse_json_events


def test_lf_only_text_and_responses_are_handled() -> None:
    text = (
        "Response: Success\nMessage: Authentication accepted\n\n"
        "Event: Newchannel\nChannel: PJSIP/1001-00000001\nTimestamp: 1795761892.5\n\n\n\n"
        "garbage without colon\n\n"
        "Event: Hangup\nCause: 16"
    )
    events = parse_ami_text(text)
    assert [e.name for e in events] == ["Newchannel", "Hangup"]
    assert events[0].time == 1795761892.5
    assert events[1].get("Cause") == "16"


def test_event_without_timestamp_falls_back_to_received_at() -> None:
    [event] = parse_json_events('[{"Event": "Hangup", "Uniqueid": 7, "received_at": 12.5}]')
    assert event.time == 12.5
    assert event.get("Uniqueid") == "7"
    assert "received_at" not in event.headers


def test_repeated_headers_are_kept() -> None:
    [event] = parse_ami_text("Event: X\r\nChanVariable: A=1\r\nChanVariable: B=2\r\n\r\n")
    assert event.get("ChanVariable").split("\n") == ["A=1", "B=2"]
