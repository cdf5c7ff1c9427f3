"""docker-compose.yml is the production shape; no Docker engine runs here: check it against code."""

from __future__ import annotations

import importlib
import inspect
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic_settings import BaseSettings

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    return loaded


def _env_names(settings_class: type[BaseSettings]) -> set[str]:
    prefix = settings_class.model_config.get("env_prefix", "")
    names = set()
    for name, field in settings_class.model_fields.items():
        alias = field.validation_alias or field.alias
        names.add(str(alias) if isinstance(alias, str) else f"{prefix}{name}".upper())
    return names


def _settings_classes() -> list[type[BaseSettings]]:
    classes = []
    for module_name in ("cti.settings", "cti.routing.settings", "crm_core.settings"):
        module = importlib.import_module(module_name)
        for _, value in inspect.getmembers(module, inspect.isclass):
            if issubclass(value, BaseSettings) and value.__module__ == module_name:
                classes.append(value)
    return classes


def test_every_setting_the_service_reads_is_set(compose: dict[str, Any]) -> None:
    environment = compose["services"]["bridge"]["environment"]
    wanted = set().union(*(_env_names(cls) for cls in _settings_classes()))
    assert wanted, "no settings found"
    assert sorted(wanted - set(environment)) == []
    assert sorted(set(environment) - wanted) == [], "compose sets variables nobody reads"


def test_the_published_http_port_is_the_one_the_service_listens_on(compose: dict[str, Any]) -> None:
    bridge = compose["services"]["bridge"]
    port = bridge["environment"]["CTI_HTTP_PORT"]
    assert any(str(p).endswith(f":{port}") for p in bridge["ports"])


def test_the_bridge_reaches_services_that_exist(compose: dict[str, Any]) -> None:
    environment = compose["services"]["bridge"]["environment"]
    services = compose["services"]
    assert environment["CTI_AMI_HOST"] in services
    assert re.search(r"@(\w+):", environment["CTI_DATABASE_URL"]).group(1) in services  # type: ignore[union-attr]
    assert re.search(r"//(\w+):", environment["CTI_BUS_URL"]).group(1) in services  # type: ignore[union-attr]


def test_asterisk_mounts_the_repository_dialplans(compose: dict[str, Any]) -> None:
    mounts = compose["services"]["asterisk"]["volumes"]
    sources = [m.split(":")[0] for m in mounts if m.startswith("./")]
    assert sources
    for source in sources:
        assert (ROOT / source).is_dir(), source
    assert (ROOT / "dialplans/asterisk/manager.conf").is_file()


def test_ami_port_and_user_match_manager_conf(compose: dict[str, Any]) -> None:
    environment = compose["services"]["bridge"]["environment"]
    manager_conf = (ROOT / "dialplans/asterisk/manager.conf").read_text()
    assert re.search(rf"^port\s*=\s*{environment['CTI_AMI_PORT']}\s*$", manager_conf, re.M)
    assert re.search(rf"^\[{environment['CTI_AMI_USER']}\]", manager_conf, re.M)


def test_every_value_in_compose_is_one_the_settings_accept(
    compose: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in compose["services"]["bridge"]["environment"].items():
        monkeypatch.setenv(name, str(value))
    for settings_class in _settings_classes():
        settings_class()  # raises on a value the service would refuse at start
