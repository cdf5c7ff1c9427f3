"""Every route of the app x {anonymous, agent, agent2, supervisor, admin}: the answer written in
authz_matrix.yaml, and no route that the table does not list."""

from __future__ import annotations

import asyncio
import json
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from fastapi.routing import iter_route_contexts
from starlette.routing import Mount
from websockets.asyncio.client import connect

from tests.contract.live import LiveApp

TABLE = yaml.safe_load((Path(__file__).parent / "authz_matrix.yaml").read_text())
CALLERS: list[str] = TABLE["callers"]
ROUTES: dict[str, dict[str, Any]] = TABLE["routes"]


def app_routes(live: LiveApp) -> set[str]:
    app = live.app
    found = set()
    for route in iter_route_contexts(app.routes):
        if isinstance(route.original_route, Mount):
            found.add(f"STATIC {route.original_route.path or '/'}")
        elif route.methods:
            found.update(f"{m} {route.path}" for m in route.methods if m != "HEAD")
        else:
            found.add(f"WS {route.path}")
    return found


def test_the_table_lists_every_route(live: LiveApp) -> None:
    assert sorted(app_routes(live) - set(ROUTES)) == [], "routes missing from authz_matrix.yaml"
    assert sorted(set(ROUTES) - app_routes(live)) == [], "authz_matrix.yaml lists gone routes"


def _fill(value: Any, live: LiveApp) -> Any:
    if isinstance(value, dict):
        return {key: _fill(item, live) for key, item in value.items()}
    if isinstance(value, list):
        return [_fill(item, live) for item in value]
    if value == "{tomorrow_date}":
        return (datetime.now(UTC) + timedelta(days=1)).date().isoformat()
    if value == "{tomorrow}":
        return (datetime.now(UTC) + timedelta(days=1)).isoformat()
    if isinstance(value, str) and value.startswith("{") and value.endswith("}"):
        return live.ids[value[1:-1]]
    return value


def _url(path: str, row: dict[str, Any], live: LiveApp) -> str:
    names = TABLE["ids"] | row.get("ids", {})
    for name, target in names.items():
        value = target[1:] if target.startswith("=") else live.ids[target]
        path = path.replace("{" + name + "}", str(value))
    return live.url + path


async def _socket(url: str, token: str) -> str:
    async with connect(url.replace("http://", "ws://"), open_timeout=5) as websocket:
        await websocket.send(json.dumps({"type": "auth", "token": token or "nobody"}))
        first = json.loads(await asyncio.wait_for(websocket.recv(), 5))
        return "hello" if first["type"] == "hello" else "refused"


def answer(live: LiveApp, key: str, who: str) -> int | str:
    """One caller's answer; a change that went through is undone before the next request."""
    row = ROUTES[key]
    method, path = key.split(" ", 1)
    if live.changed:
        live.reset()
        live.changed = False
    url = _url(path, row, live)
    if method == "WS":
        return asyncio.run(_socket(url, live.tokens.get(who, "")))
    if method == "STATIC":
        method = "GET"
    response = httpx.request(
        method,
        url,
        headers=live.headers(who),
        params=row.get("query"),
        json=_fill(row["body"], live) if "body" in row else None,
        timeout=10,
    )
    live.changed = method != "GET" and response.is_success
    return response.status_code


@pytest.mark.parametrize("key", sorted(ROUTES))
def test_each_caller_gets_the_written_answer(live: LiveApp, key: str) -> None:
    got = {who: answer(live, key, who) for who in CALLERS}
    expected = dict(zip(CALLERS, ROUTES[key]["expect"], strict=True))
    if os.environ.get("AUTHZ_PROBE"):
        print(f"PROBE {key}: {[got[who] for who in CALLERS]}")
    assert got == expected, f"{key}: {got}"
