"""axe-core (npm `axe-core`, a dev dependency of web_softphone) injected into a Playwright page.

``await assert_accessible(page, "card")`` runs every axe rule on the page as it is now and fails
on serious or critical violations, listing each with the elements it found.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import Page

AXE = Path(__file__).resolve().parents[2] / "web_softphone" / "node_modules" / "axe-core"
BLOCKING = ("serious", "critical")


async def axe_violations(page: Page) -> list[dict[str, Any]]:
    script = AXE / "axe.min.js"
    if not script.is_file():
        pytest.fail(f"{script} missing: `make softphone` (npm ci) installs axe-core")
    if not await page.evaluate("() => typeof window.axe === 'object'"):
        # evaluated through the DevTools protocol: the page's CSP (script-src 'self') forbids
        # an inline <script>, and the app must not be weakened for a test
        await page.evaluate(script.read_text(encoding="utf-8"))
    # a pop fading in is not the contrast it settles at: let finite animations finish first
    await page.evaluate(
        "() => Promise.all(document.getAnimations()"
        ".filter(a => a.effect?.getTiming().iterations !== Infinity).map(a => a.finished))"
    )
    result: dict[str, Any] = await page.evaluate(
        "async () => await window.axe.run(document, {resultTypes: ['violations']})"
    )
    return list(result["violations"])


def _colours(node: dict[str, Any]) -> str:
    """A contrast failure's colours and ratio, for the message."""
    data = next(
        (c.get("data") for c in node.get("any", []) if isinstance(c.get("data"), dict)), None
    )
    if not data or "fgColor" not in data:
        return ""
    return f" ({data['fgColor']} on {data['bgColor']}: {data['contrastRatio']})"


def describe(violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        targets = [" ".join(map(str, n["target"])) + _colours(n) for n in v["nodes"][:5]]
        lines.append(f"{v['impact']}: {v['id']} ({v['help']}) at {targets}")
    return "\n".join(lines)


async def assert_accessible(page: Page, where: str) -> None:
    blocking = [v for v in await axe_violations(page) if v.get("impact") in BLOCKING]
    assert not blocking, f"axe on {where}:\n{describe(blocking)}"
