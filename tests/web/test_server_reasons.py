"""Every server error a page can show has its own words in every language (issue 17).

The page shows the catalogue's `error.<code>` / `reason.<code>` for the code an answer carries,
else a general text ("This value is not valid."). So: every refusal the services raise names a
specific code (not the general `invalid`, `forbidden` or `conflict`), no request validator
raises a bare ValueError (pydantic's general `value_error`), every reason pydantic gives for a
bad request body has a text, and the Slovak text of each is not the English one.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

import crm_core
import cti
from cti.commands.openapi import openapi_document

ROOT = Path(__file__).resolve().parents[2]
LOCALES = ROOT / "web_softphone" / "src" / "i18n" / "locales"
REFUSALS = {"InvalidFieldError", "PermissionDeniedError", "ConflictError"}
GENERAL_ON_PURPOSE = {
    # a role check: "You do not have permission to do that." is what it means
    ("crm_core/services/base.py", "PermissionDeniedError"),
}
VALIDATORS = [*(ROOT / "crm_core" / "services" / "dto").glob("*.py"),
              *(ROOT / "crm_core" / "services").glob("*_dto.py")]  # fmt: skip


def _product_files() -> Iterator[Path]:
    for folder in ("crm_core", "cti"):
        for path in (ROOT / folder).rglob("*.py"):
            if "sandbox" not in path.parts and "migrations" not in path.parts:
                yield path


def _raises(path: Path) -> Iterator[tuple[int, str, ast.Call]]:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
            func = node.exc.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            yield node.lineno, name, node.exc


def test_every_refusal_names_its_own_code() -> None:
    general = []
    for path in _product_files():
        where = str(path.relative_to(ROOT))
        for line, name, call in _raises(path):
            if name not in REFUSALS or (where, name) in GENERAL_ON_PURPOSE:
                continue
            if not any(k.arg == "code" for k in call.keywords):
                general.append(f"{where}:{line}: {name} without code=")
    assert not general, "give each a code= and an error./reason. text:\n" + "\n".join(general)


def test_no_request_validator_raises_a_bare_value_error() -> None:
    bare = [
        f"{path.relative_to(ROOT)}:{line}"
        for path in VALIDATORS
        for line, name, _ in _raises(path)
        if name == "ValueError"
    ]
    assert not bare, f"raise PydanticCustomError(code, message, params) instead: {bare}"


def _keys(tag: str) -> dict[str, str]:
    """Each key of a language's file with its text (a plural's forms joined)."""
    source = (LOCALES / f"{tag}.ts").read_text(encoding="utf-8")
    found = re.findall(r'^\s*"([\w.]+)": (\{.*?\}|"(?:[^"\\]|\\.)*"),?$', source, re.M | re.S)
    return dict(found)


def _body_models() -> list[type[BaseModel]]:
    wanted = set()
    for operations in openapi_document()["paths"].values():
        for operation in operations.values():
            content = operation.get("requestBody", {}).get("content", {})
            ref = content.get("application/json", {}).get("schema", {}).get("$ref", "")
            if ref:
                wanted.add(ref.rsplit("/", 1)[1])
    found: dict[str, type[BaseModel]] = {}
    for package in (crm_core, cti):
        for module in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            if ".sandbox" in module.name or ".migrations" in module.name:
                continue
            for name, cls in inspect.getmembers(
                importlib.import_module(module.name), inspect.isclass
            ):
                if name in wanted and issubclass(cls, BaseModel):
                    found.setdefault(name, cls)
    assert set(found) == wanted, f"request bodies not found as classes: {wanted - set(found)}"
    return list(found.values())


BAD_VALUES: list[Any] = [
    {"x": 1}, "x" * 100_001, -(10**12), 10**12, [1, "a"], "not-a-date", 1.5, None, True, "",
    "\x00", "\u200b", "2020-01-01T00:00:00", "99:99", [], ["x"] * 1001,
]  # fmt: skip


def _reasons(model: type[BaseModel]) -> set[str]:
    bodies: list[Any] = [{}, [], "x"]
    for name, info in model.model_fields.items():
        bodies += [{name: bad} for bad in BAD_VALUES]
        inner = info.annotation
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            bodies += [{name: {sub: bad}} for sub in inner.model_fields for bad in BAD_VALUES]
    types = set()
    for body in bodies:
        try:
            model.model_validate(body)
        except ValidationError as error:
            types |= {_reason_of(item) for item in error.errors(include_url=False)}
    return types


def _reason_of(item: Any) -> str:
    """The catalogue key's end the page picks (api.ts plainReason): pydantic's email check is
    its `value_error` with its own words, which the page knows as `reason.email`."""
    if item["type"] == "value_error" and item["msg"].startswith("value is not a valid email"):
        return "email"
    return str(item["type"])


def test_every_reason_a_bad_request_body_gets_has_words() -> None:
    keys = _keys("en")
    reasons = set().union(*(_reasons(model) for model in _body_models()))
    assert {"missing", "string_too_long", "invisible_only", "name_required"} <= reasons
    missing = sorted(r for r in reasons if f"reason.{r}" not in keys)
    assert not missing, f"add reason.<type> to en.ts and every language: {missing}"


def test_the_slovak_words_for_each_server_error_are_slovak() -> None:
    english, slovak = _keys("en"), _keys("sk")
    errors = [k for k in english if k.startswith(("error.", "reason."))]
    assert len(errors) > 100
    same = [k for k in errors if slovak.get(k) == english[k]]
    assert not same, f"Slovak texts still in English: {same}"
