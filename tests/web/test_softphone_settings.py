"""CTI_SIP_PASSWORDS and CTI_SIP_WS_SERVERS as the softphone's endpoint reads them."""

from __future__ import annotations

from cti.web.sip_credentials import parse_passwords, password_for, ws_servers_for


def test_passwords_setting() -> None:
    passwords = parse_passwords(" 1001=s3cret, 1002=a=b ,*=sandbox-{ext},broken")
    assert passwords == {"1001": "s3cret", "1002": "a=b", "*": "sandbox-{ext}"}
    assert password_for(passwords, "1001") == "s3cret"
    assert password_for(passwords, "1007") == "sandbox-1007"
    assert password_for(parse_passwords("1001=x"), "1002") is None
    assert ws_servers_for("wss://{host}:8089/ws, ws://{host}:8088/ws", "pbx.example") == [
        "wss://pbx.example:8089/ws",
        "ws://pbx.example:8088/ws",
    ]
