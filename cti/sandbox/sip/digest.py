"""HTTP digest authentication (RFC 2617/7616, MD5, qop=auth) for REGISTER and INVITE."""

from __future__ import annotations

import hashlib
import re
import secrets

_PARAM = re.compile(r'(\w+)=(?:"([^"]*)"|([^,\s]+))')


def _md5(text: str) -> str:
    return hashlib.md5(text.encode()).hexdigest()


def parse_challenge(header: str) -> dict[str, str]:
    return {key.lower(): quoted or bare for key, quoted, bare in _PARAM.findall(header)}


def pick_md5(challenges: list[str]) -> dict[str, str]:
    """Asterisk may offer several algorithms; this agent answers the MD5 one."""
    for header in challenges:
        params = parse_challenge(header)
        if params.get("algorithm", "MD5").upper() == "MD5":
            return params
    raise ValueError("no MD5 digest challenge offered")


def authorization(
    challenge: dict[str, str], method: str, uri: str, username: str, password: str
) -> str:
    realm, nonce = challenge["realm"], challenge["nonce"]
    ha1 = _md5(f"{username}:{realm}:{password}")
    ha2 = _md5(f"{method}:{uri}")
    fields = [f'username="{username}"', f'realm="{realm}"', f'nonce="{nonce}"', f'uri="{uri}"']
    if "auth" in challenge.get("qop", "").split(","):
        cnonce = secrets.token_hex(8)
        response = _md5(f"{ha1}:{nonce}:00000001:{cnonce}:auth:{ha2}")
        fields += ["qop=auth", "nc=00000001", f'cnonce="{cnonce}"']
    else:
        response = _md5(f"{ha1}:{nonce}:{ha2}")
    fields += [f'response="{response}"', "algorithm=MD5"]
    if "opaque" in challenge:
        fields.append(f'opaque="{challenge["opaque"]}"')
    return "Digest " + ", ".join(fields)
