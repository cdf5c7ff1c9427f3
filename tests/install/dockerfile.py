"""A small reader of the project's Dockerfile for the tests (no Docker engine runs here).

Only what the Dockerfile uses: FROM ... AS name, WORKDIR, COPY [--from=stage], RUN, ENV k=v,
USER, EXPOSE, HEALTHCHECK [options] CMD [json], CMD [json]; comments and line continuations.
"""

from __future__ import annotations

import json
import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path

from tests.install.wheel import ROOT

DOCKERFILE = ROOT / "Dockerfile"


@dataclass(frozen=True)
class Instruction:
    keyword: str
    arguments: str


@dataclass
class Stage:
    name: str
    base: str
    instructions: list[Instruction] = field(default_factory=list)

    def all(self, keyword: str) -> list[str]:
        return [i.arguments for i in self.instructions if i.keyword == keyword]

    def last(self, keyword: str) -> str:
        found = self.all(keyword)
        assert found, f"stage {self.name} has no {keyword}"
        return found[-1]

    @property
    def command(self) -> list[str]:
        command: list[str] = json.loads(self.last("CMD"))
        return command

    @property
    def env(self) -> dict[str, str]:
        pairs = [shlex.split(line) for line in self.all("ENV")]
        return dict(pair.split("=", 1) for line in pairs for pair in line)

    @property
    def healthcheck(self) -> tuple[dict[str, str], list[str]]:
        options, _, command = self.last("HEALTHCHECK").partition("CMD ")
        parsed = dict(re.findall(r"--([a-z-]+)=(\S+)", options))
        return parsed, json.loads(command)

    def copies(self) -> list[tuple[str | None, list[str], str]]:
        """(from stage or None, sources, destination) of every COPY."""
        result = []
        for line in self.all("COPY"):
            words = shlex.split(line)
            origin = next((w.split("=", 1)[1] for w in words if w.startswith("--from=")), None)
            paths = [w for w in words if not w.startswith("--")]
            result.append((origin, paths[:-1], paths[-1]))
        return result


def _logical_lines(text: str) -> list[str]:
    lines, current = [], ""
    for raw in text.splitlines():
        if raw.lstrip().startswith("#") and not current:
            continue
        if raw.endswith("\\"):
            current += raw[:-1].strip() + " "
            continue
        current += raw.strip()
        if current:
            lines.append(current)
        current = ""
    return lines


def stages(path: Path = DOCKERFILE) -> list[Stage]:
    parsed: list[Stage] = []
    for line in _logical_lines(path.read_text()):
        keyword, _, arguments = line.partition(" ")
        if keyword.upper() == "FROM":
            base, _, name = arguments.partition(" AS ")
            parsed.append(Stage(name.strip(), base.strip()))
        else:
            assert parsed, f"{keyword} before any FROM"
            parsed[-1].instructions.append(Instruction(keyword.upper(), arguments.strip()))
    return parsed


def stage(name: str) -> Stage:
    return next(s for s in stages() if s.name == name)
