"""The HTML report in a real headless Chromium: it renders, the summary is there, nothing is fetched.

Skipped where no Chromium is installed (.ci/run installs Debian's chromium). The PDF
is not made by a browser any more (WeasyPrint): tests/test_deliverables.py.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from defa_check.cli import app

from .conftest import ROOT

HEADLESS_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    # Without these, Chromium phones home at start-up; the report itself fetches nothing.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)


def find_browser() -> str | None:
    """A Chromium-family browser: $DEFA_CHROMIUM, else the first one on PATH."""
    explicit = os.environ.get("DEFA_CHROMIUM")
    if explicit:
        return explicit if Path(explicit).exists() else None
    names = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
    return next((found for name in names if (found := shutil.which(name))), None)


BROWSER = find_browser()
pytestmark = pytest.mark.skipif(BROWSER is None, reason="no Chromium on this machine")
EXAMPLE = ROOT / "examples" / "sg-shop-selling-into-vn.yaml"
# Chromium's own background services (updates, time, accounts) are not the page's requests.
BROWSER_HOSTS = re.compile(
    r"https?://([a-z0-9-]+\.)*(google\.com|googleapis\.com|gstatic\.com|gvt1\.com)(/|$|\s|\\)"
)


def chromium(*args: str, profile: Path) -> subprocess.CompletedProcess[str]:
    assert BROWSER is not None
    return subprocess.run(
        [BROWSER, *HEADLESS_FLAGS, f"--user-data-dir={profile}", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture(scope="module")
def html_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("html") / "report.html"
    result = CliRunner().invoke(
        app, ["check", str(EXAMPLE), "--as-of", "2026-11-27", "--format", "html", "--output", str(out)]
    )
    assert result.exit_code in (0, 1), result.stderr
    return out


def test_renders_with_summary_and_makes_no_network_request(html_file: Path, tmp_path: Path) -> None:
    netlog = tmp_path / "net.json"
    proc = chromium(f"--log-net-log={netlog}", "--dump-dom", html_file.as_uri(), profile=tmp_path / "p")
    dom = proc.stdout
    assert "Executive summary" in dom and "Lotus Crafts Pte. Ltd." in dom and "<svg" in dom
    assert 'id="country-VN"' in dom and "VN-TRANSFER-001" in dom
    urls = set(re.findall(r'"(https?://[^"\\]+)', netlog.read_text()))
    page_requests = {u for u in urls if not BROWSER_HOSTS.match(u + "/")}
    assert page_requests == set()


def test_screenshot_is_not_blank(html_file: Path, tmp_path: Path) -> None:
    shot = tmp_path / "report.png"
    chromium("--window-size=1100,1400", f"--screenshot={shot}", html_file.as_uri(), profile=tmp_path / "p")
    assert shot.exists() and shot.stat().st_size > 20_000
