"""The page's API types (web_softphone/src/generated/openapi.d.ts) are generated from the app's
OpenAPI document by openapi-typescript (`make types`); this fails when the committed file is
stale, i.e. when an API change was not regenerated into the page's types."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from cti.commands.openapi import openapi_document, openapi_text

SOFTPHONE = Path(__file__).resolve().parents[2] / "web_softphone"
COMMITTED = SOFTPHONE / "src" / "generated" / "openapi.d.ts"
GENERATOR = SOFTPHONE / "node_modules" / ".bin" / "openapi-typescript"


def generated(tmp_path: Path) -> bytes:
    if not GENERATOR.is_file():
        pytest.fail(f"{GENERATOR} is missing: `make provision` installs the page's npm packages")
    document = tmp_path / "openapi.json"
    document.write_text(openapi_text(), encoding="utf-8")
    output = tmp_path / "openapi.d.ts"
    subprocess.run([str(GENERATOR), str(document), "--output", str(output)],
                   check=True, capture_output=True, timeout=120)  # fmt: skip
    return output.read_bytes()


def test_the_committed_page_types_are_the_generated_ones(tmp_path: Path) -> None:
    assert COMMITTED.read_bytes() == generated(tmp_path), (
        f"{COMMITTED.relative_to(SOFTPHONE.parent)} is stale: run `make types` and commit it"
    )


def test_the_document_is_the_whole_product_and_stable() -> None:
    document = openapi_document()
    for path in ("/api/contacts", "/api/admin/webhooks/dead", "/api/me/sip", "/api/bridge/status"):
        assert path in document["paths"], path
    assert (
        openapi_text() == json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    )
    assert openapi_text() == openapi_text()


def test_an_answer_requires_its_defaulted_fields() -> None:
    """Answers always hold every field, so the page's types need no `?` for them."""
    schemas = openapi_document()["components"]["schemas"]
    assert {"pending", "dead"} <= set(schemas["SubscriptionOut"]["required"])
    assert "wrapup_until" in schemas["AgentState"]["required"]
    assert "subject" in schemas["TaskCreate"]["required"]
    assert "kind" not in schemas["TaskCreate"]["required"]  # a request's default stays optional


def test_the_command_writes_the_document(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from cti.cli import cli

    target = tmp_path / "openapi.json"
    result = CliRunner().invoke(cli, ["openapi", "--output", str(target)])
    assert result.exit_code == 0, result.output
    assert target.read_text(encoding="utf-8") == openapi_text()
