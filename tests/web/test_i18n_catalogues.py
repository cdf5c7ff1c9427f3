"""The page's words all come from its catalogues (web_softphone/src/i18n/locales): no visible text
written into the code, every language with the same keys and its plural forms, and a text for
every error code the server sends."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.web.page_texts import SRC, hardcoded_texts, looks_visible

ROOT = Path(__file__).resolve().parents[2]
WEB = ROOT / "web_softphone"
ENGLISH = SRC / "i18n" / "locales" / "en.ts"


def test_no_visible_text_outside_the_catalogue() -> None:
    found = hardcoded_texts()
    assert not found, "texts to move into src/i18n/locales/en.ts (and every other language):\n" + (
        "\n".join(f"  {f.path}:{f.line}: {f.text!r}" for f in found)
    )


def test_the_check_finds_a_planted_text(tmp_path: Path) -> None:
    (tmp_path / "view.ts").write_text(
        'import { t } from "./i18n";\n'
        'h("button", { class: "btn btn-primary" }, t("card.edit"));\n'
        'h("p", null, "Nový klient");\n'
        "el.title = `Calls for ${name}`;\n"
        'if (ev.key === "Escape") close(); // a key name, not a text\n',
        encoding="utf-8",
    )
    found = [(f.line, f.text) for f in hardcoded_texts(tmp_path)]
    assert found == [(3, "Nový klient"), (4, "Calls for \x00")]


@pytest.mark.parametrize(
    ("text", "visible"),
    [("Log out", True), ("Save", True), ("čakanie", True), ("btn-ghost", False),
     ("CallbackOut", False), ("application/json", False), ("Loading…", True), ("{count} s", False)],
)  # fmt: skip
def test_what_reads_as_words(text: str, visible: bool) -> None:
    assert looks_visible(text) is visible


def _server_codes() -> set[str]:
    codes: set[str] = set()
    for folder in ("crm_core", "cti"):
        for path in (ROOT / folder).rglob("*.py"):
            source = path.read_text(encoding="utf-8")
            codes |= set(re.findall(r'\bcode\s*=\s*"(\w+)"', source))
            codes |= set(re.findall(r'PydanticCustomError\(\s*"(\w+)"', source))
    return codes


def test_every_server_error_code_has_words_in_the_catalogue() -> None:
    keys = set(re.findall(r'^\s*"([\w.]+)":', ENGLISH.read_text(encoding="utf-8"), re.M))
    codes = _server_codes()
    assert {"phone_taken", "invalid_phone", "too_many_attempts", "name_required"} <= codes
    missing = sorted(c for c in codes if f"error.{c}" not in keys and f"reason.{c}" not in keys)
    assert not missing, f"add error.<code> or reason.<code> to en.ts and every language: {missing}"


def test_catalogues_agree_and_slovak_plurals_hold() -> None:
    """test/i18n.test.ts under node: the same keys in every language file, each language's plural
    forms, the same placeholders; Slovak one/few/many/other, numbers and errors in Slovak."""
    node = shutil.which("node")
    if node is None or not (WEB / "node_modules" / "esbuild").exists():
        pytest.fail("node and web_softphone/node_modules are needed (`make softphone`)")
    subprocess.run([node, "build.mjs", "--tests"], cwd=WEB, check=True, timeout=120)
    result = subprocess.run(
        [node, "--test", ".test-build/i18n.test.mjs"],
        cwd=WEB, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-4000:]
