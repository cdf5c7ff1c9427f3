"""The API contract at full size: tests/contract/test_openapi_contract.py (schemathesis against
/openapi.json, as an agent and as an admin, on SQLite and PostgreSQL) with many examples per
operation; the suite runs the same tests with CTI_CONTRACT_EXAMPLES=6.

    .venv/bin/python bench/contract.py [--examples 60]

Bar: every test passes (no 5xx, every answer as documented). Prints the examples per operation,
the seconds taken and pytest's summary; exits with pytest's status.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=60, help="examples per operation")
    args = parser.parse_args()
    env = os.environ | {"CTI_CONTRACT_EXAMPLES": str(args.examples)}
    test = "tests/contract/test_openapi_contract.py::test_every_operation_keeps_its_contract"
    started = time.monotonic()
    result = subprocess.run([sys.executable, "-m", "pytest", test, "-q"], cwd=ROOT, env=env)
    print(f"contract: {args.examples} examples per operation, {time.monotonic() - started:.0f} s")
    return result.returncode


if __name__ == "__main__":
    sys.exit(main())
