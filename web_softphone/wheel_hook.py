"""Hatch build hook: the wheel ships the built agent page as `cti/web_dist`.

With npm on PATH the page is bundled fresh (`npm ci` first when node_modules is missing) into a
temporary folder, so the checkout's dist/ is left alone. Without npm (the Docker image's wheel
stage, an sdist built elsewhere) the page already built in web_softphone/dist is taken as it
is. A wheel without the page is refused: installed, it would serve no pages.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

PACKAGED_AS = "cti/web_dist"


class WebPageHook(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel" or version == "editable":
            return  # an editable install serves the checkout's web_softphone/dist
        page = built_page(Path(self.root) / "web_softphone")
        build_data["force_include"][str(page)] = PACKAGED_AS

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        for source in build_data.get("force_include", {}):
            if Path(source).name.startswith(TEMP_PREFIX):
                shutil.rmtree(source, ignore_errors=True)


TEMP_PREFIX = "cti-web-dist-"


def built_page(softphone: Path) -> Path:
    npm = shutil.which("npm")
    if npm and (softphone / "package.json").is_file():
        return _bundle(npm, softphone)
    prebuilt = softphone / "dist"
    if (prebuilt / "index.html").is_file():
        return prebuilt
    raise RuntimeError(
        f"the agent page is not built: no npm on PATH and no {prebuilt / 'index.html'}; "
        "run `npm ci && npm run build` in web_softphone first"
    )


def _bundle(npm: str, softphone: Path) -> Path:
    if not (softphone / "node_modules").is_dir():
        _run([npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"], softphone)
    outdir = Path(tempfile.mkdtemp(prefix=TEMP_PREFIX))
    _run([npm, "run", "--silent", "bundle", "--", f"--outdir={outdir}"], softphone)
    if not (outdir / "index.html").is_file():
        raise RuntimeError(f"`npm run bundle` left no index.html in {outdir}")
    return outdir


def _run(command: list[str], cwd: Path) -> None:
    subprocess.run(command, cwd=cwd, check=True, stdout=subprocess.DEVNULL)
