"""Shared fixtures live in tests/fixtures/, one module per real part (DB, Asterisk, browser)."""

pytest_plugins = [
    "tests.fixtures.db",
    "tests.fixtures.asterisk",
    "tests.fixtures.browser",
    "tests.fixtures.redis",
    "tests.fixtures.bridge",
]
