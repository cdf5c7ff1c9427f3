"""Shared fixtures live in tests/fixtures/, one module per real part (database, Asterisk, browser, redis)."""

pytest_plugins = [
    "tests.fixtures.db",
    "tests.fixtures.asterisk",
    "tests.fixtures.browser",
    "tests.fixtures.redis",
    "tests.fixtures.bridge",
]
