"""docker-compose.yml and the Dockerfile are the production shape; no Docker engine runs here:
check them against the code and the README (the Dockerfile's build stages are replayed by
tests/install/test_docker_stages.py)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.install.dockerfile import Stage
from tests.install.dockerfile import stages as dockerfile_stages
from tests.install.settings_catalog import every_env_name, settings_classes

ROOT = Path(__file__).resolve().parent.parent


PROXY_CONF = ROOT / "dialplans" / "nginx" / "cti-bridge.conf"


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    return loaded


def bridges(compose: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The services that run the bridge's image (the ingest and the web replicas)."""
    return {name: s for name, s in compose["services"].items() if s.get("build") == "."}


def test_the_shape_is_an_ingest_pair_and_two_web_replicas(compose: dict[str, Any]) -> None:
    roles = sorted(s["environment"]["CTI_ROLE"] for s in bridges(compose).values())
    assert roles == ["ingest", "ingest", "web", "web"]
    ingests = [
        s["environment"]
        for s in bridges(compose).values()
        if s["environment"]["CTI_ROLE"] == "ingest"
    ]
    # one pair: the same Asterisk, the same lease (one active, one standby), on PostgreSQL
    assert len({(e["CTI_AMI_HOST"], e["CTI_LEASE_NAME"]) for e in ingests}) == 1
    assert all(e["CTI_DATABASE_URL"].startswith("postgresql+asyncpg://") for e in ingests)
    readers = [s["environment"]["CTI_BUS_READER"] for s in bridges(compose).values()]
    web_readers = [r for r, s in zip(readers, bridges(compose).values(), strict=True)
                   if s["environment"]["CTI_ROLE"] == "web"]  # fmt: skip
    assert len(set(web_readers)) == 2, "each web replica reads the bus under its own name"


def test_every_setting_the_service_reads_is_set(compose: dict[str, Any]) -> None:
    wanted = every_env_name()
    assert wanted, "no settings found"
    for name, bridge in bridges(compose).items():
        environment = bridge["environment"]
        assert sorted(wanted - set(environment)) == [], name
        assert sorted(set(environment) - wanted) == [], f"{name} sets variables nobody reads"


def test_the_proxy_publishes_the_web_replicas_and_upgrades_websockets(
    compose: dict[str, Any],
) -> None:
    proxy, conf = compose["services"]["proxy"], PROXY_CONF.read_text()
    assert f"./{PROXY_CONF.relative_to(ROOT)}" in proxy["volumes"][0]
    listen = re.search(r"listen (\d+);", conf).group(1)  # type: ignore[union-attr]
    assert any(str(p).endswith(f":{listen}") for p in proxy["ports"])
    for name, bridge in bridges(compose).items():
        port = bridge["environment"]["CTI_HTTP_PORT"]
        upstream = f"server {name}:{port}"
        assert (upstream in conf) == (bridge["environment"]["CTI_ROLE"] == "web"), name
        assert "ports" not in bridge, "only the proxy is published"
    assert "proxy_set_header Upgrade $http_upgrade;" in conf
    assert "location /ws/" in conf


def test_the_bridge_reaches_services_that_exist(compose: dict[str, Any]) -> None:
    services = compose["services"]
    for bridge in bridges(compose).values():
        environment = bridge["environment"]
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
    environment = compose["services"]["ingest1"]["environment"]
    manager_conf = (ROOT / "dialplans/asterisk/manager.conf").read_text()
    assert re.search(rf"^port\s*=\s*{environment['CTI_AMI_PORT']}\s*$", manager_conf, re.M)
    assert re.search(rf"^\[{environment['CTI_AMI_USER']}\]", manager_conf, re.M)


def test_every_value_in_compose_is_one_the_settings_accept(
    compose: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    for bridge in bridges(compose).values():
        for name, value in bridge["environment"].items():
            monkeypatch.setenv(name, str(value))
        for settings_class in settings_classes():
            settings_class()  # raises on a value the service would refuse at start


# -- the image (Dockerfile) compose builds, against the README's "Install in production" -------

README = " ".join((ROOT / "README.md").read_text().split())  # sentences across line breaks


def _runtime() -> Stage:
    return dockerfile_stages()[-1]


def test_the_image_builds_the_page_and_the_wheel_in_stages_and_runs_slim() -> None:
    stages = dockerfile_stages()
    assert [s.name for s in stages] == ["page", "wheel", "runtime"]
    assert stages[0].base.startswith("node:")
    assert _runtime().base.endswith("-slim")
    assert [origin for origin, _, _ in _runtime().copies()] == ["wheel"]
    for stage in stages:
        for origin, sources, _ in stage.copies():
            assert origin or all((ROOT / s).exists() for s in sources), (stage.name, sources)


def test_compose_builds_the_image_and_runs_its_command(compose: dict[str, Any]) -> None:
    command = _runtime().command
    for bridge in bridges(compose).values():
        assert bridge.get("command", command) == command  # the role is CTI_ROLE
    assert f"runs `{' '.join(command)}`" in README


def test_the_image_runs_as_the_unprivileged_user_the_readme_names(compose: dict[str, Any]) -> None:
    runtime, bridge = _runtime(), compose["services"]["ingest1"]
    user = runtime.last("USER")
    assert user not in {"root", "0"}
    (useradd,) = [line for line in runtime.all("RUN") if "useradd" in line]
    uid = re.search(r"--uid (\d+)", useradd).group(1)  # type: ignore[union-attr]
    assert useradd.endswith(f" {user}")
    assert int(uid) != 0
    assert bridge.get("user", user) == user, "compose must not run the bridge as another user"
    assert f"the unprivileged user `{user}` (uid {uid})" in README
    home = re.search(r"--home-dir (\S+)", useradd).group(1)  # type: ignore[union-attr]
    assert runtime.env["CTI_VAR_DIR"] == home == bridge["environment"]["CTI_VAR_DIR"]
    for each in bridges(compose).values():
        assert each.get("user", user) == user
        assert f"bridge-state:{home}" in each["volumes"]


def test_the_health_check_is_the_one_the_readme_describes(compose: dict[str, Any]) -> None:
    options, command = _runtime().healthcheck
    assert command[0] == "python"
    assert "CTI_HTTP_PORT" in command[-1], "the check follows the port the service listens on"
    path = re.search(r"\+ '(/[^']*)'", command[-1]).group(1)  # type: ignore[union-attr]
    interval = options["interval"].removesuffix("s")
    assert f"health check fetches `{path}` on `CTI_HTTP_PORT` every {interval} s" in README
    assert path == "/healthz", "a process of any role answers it"
    for bridge in bridges(compose).values():
        assert "healthcheck" not in bridge, "compose keeps the image's check"


def test_the_image_exposes_the_ports_compose_configures(compose: dict[str, Any]) -> None:
    exposed = set(" ".join(_runtime().all("EXPOSE")).split())
    environment = compose["services"]["ingest1"]["environment"]
    assert {environment["CTI_HTTP_PORT"], environment["CTI_AGI_PORT"]} <= exposed
    assert _runtime().env["CTI_HTTP_PORT"] == environment["CTI_HTTP_PORT"]


def test_the_image_sets_only_settings_the_service_reads() -> None:
    wanted = every_env_name()
    assert sorted(set(_runtime().env) - wanted - {"PYTHONUNBUFFERED"}) == []


def test_the_bridge_reads_the_queues_conf_the_asterisk_service_runs(
    compose: dict[str, Any],
) -> None:
    bridge, asterisk = compose["services"]["ingest1"], compose["services"]["asterisk"]
    queues_conf = Path(bridge["environment"]["CTI_QUEUES_CONF"])
    mounted = {m.split(":")[1]: m.split(":")[0] for m in bridge["volumes"]}
    pbx = {m.split(":")[1]: m.split(":")[0] for m in asterisk["volumes"]}
    assert mounted[str(queues_conf.parent)] == pbx["/etc/asterisk"]
    assert queues_conf.parent == Path("/etc/asterisk")
