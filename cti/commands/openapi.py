"""`cti openapi`: the API's OpenAPI document as `cti serve` would answer `/openapi.json`.

Built from the composition root without serving, connecting to a database or to Asterisk (the
engine is made, never opened), so the page's TypeScript types can be generated from it
(`make types`) and a test can tell when the committed ones are stale.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from crm_core.settings import CrmSettings
from cti.composition import build_app
from cti.settings import BridgeSettings

QUIET_DATABASE = "sqlite+aiosqlite:///:memory:"
"""Never opened: building the document makes an engine but runs no query."""
DOCUMENT_ONLY_KEY = "openapi-document-only-never-signs-a-token"
"""So that building the app writes no var/secret_key."""


def openapi_document() -> dict[str, Any]:
    """The document of the whole product (CRM API, telephony, bridge status, SIP account)."""
    crm = CrmSettings(database_url=QUIET_DATABASE, secret_key=DOCUMENT_ONLY_KEY)
    bridge = BridgeSettings(ingest=False, sandbox=False, bus_url="memory://")
    document: dict[str, Any] = build_app(crm, bridge).openapi()
    return document


def openapi_text() -> str:
    """The document as stable text: sorted keys, two-space indents, a final newline."""
    return json.dumps(openapi_document(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


@click.command()
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the document here instead of to standard output.",
)
def openapi(output: Path | None) -> None:
    """Print the OpenAPI document (what GET /openapi.json answers), without serving."""
    text = openapi_text()
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
