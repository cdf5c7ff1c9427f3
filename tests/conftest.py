"""Shared fixtures live in tests/fixtures/, one module per real part (DB, Asterisk, browser);
tests/parallel.py shares the suite between `make test`'s xdist workers."""

pytest_plugins = [
    "tests.fixtures.db",
    "tests.fixtures.asterisk",
    "tests.fixtures.browser",
    "tests.fixtures.redis",
    "tests.fixtures.bridge",
    "tests.parallel",
]
