"""The password policy for passwords set through the API (an admin creating or changing a user).

At least MIN_LENGTH characters, not the login, not one repeated character or a keyboard/digit
run, and not on the list of the most common (breached) passwords (crm_core.services.
common_passwords), compared case-insensitively and with a trailing run of digits or symbols
stripped ("Password2024!" is "password").
"""

from __future__ import annotations

import re

from crm_core.errors import InvalidFieldError
from crm_core.services.common_passwords import COMMON_PASSWORDS

MIN_LENGTH = 10
_RUNS = ("0123456789", "abcdefghijklmnopqrstuvwxyz", "qwertyuiop", "asdfghjkl", "zxcvbnm")
_TRAILING = re.compile(r"[\d\W_]+$")


def _is_run(text: str) -> bool:
    return any(text in run or text in run[::-1] for run in _RUNS)


_PROBLEMS = {
    "password_too_short": f"at least {MIN_LENGTH} characters",
    "password_too_simple": "more than two different characters",
    "password_has_login": "must not contain the login",
    "password_common": "one of the most common passwords: pick another",
}


def _problem_code(password: str, login: str) -> str | None:
    folded = password.casefold()
    stem = _TRAILING.sub("", folded)
    if len(password) < MIN_LENGTH:
        return "password_too_short"
    if len(set(folded)) <= 2:
        return "password_too_simple"
    if login and login.casefold() in folded:
        return "password_has_login"
    if folded in COMMON_PASSWORDS or stem in COMMON_PASSWORDS or _is_run(folded):
        return "password_common"
    return None


def password_problem(password: str, login: str = "") -> str | None:
    """Why `password` is refused, or None when it passes."""
    code = _problem_code(password, login)
    return None if code is None else _PROBLEMS[code]


def check_password(password: str, login: str = "") -> None:
    """InvalidFieldError('password', ...) unless the password passes the policy."""
    code = _problem_code(password, login)
    if code is not None:
        raise InvalidFieldError(
            "password", f"password policy: {_PROBLEMS[code]}", code=code, params={"min": MIN_LENGTH}
        )
