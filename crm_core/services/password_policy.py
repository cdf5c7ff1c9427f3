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


def password_problem(password: str, login: str = "") -> str | None:
    """Why `password` is refused, or None when it passes."""
    folded = password.casefold()
    stem = _TRAILING.sub("", folded)
    if len(password) < MIN_LENGTH:
        return f"at least {MIN_LENGTH} characters"
    if len(set(folded)) <= 2:
        return "more than two different characters"
    if login and login.casefold() in folded:
        return "must not contain the login"
    if folded in COMMON_PASSWORDS or stem in COMMON_PASSWORDS or _is_run(folded):
        return "one of the most common passwords: pick another"
    return None


def check_password(password: str, login: str = "") -> None:
    """InvalidFieldError('password', ...) unless the password passes the policy."""
    problem = password_problem(password, login)
    if problem is not None:
        raise InvalidFieldError("password", f"password policy: {problem}")
