"""Headless Chromium for the browser tests (test_site.py, test_browser.py).

Debian's ``chromium`` package, driven by Playwright with ``executable_path``: Playwright never
downloads a browser here. A test that needs it calls :func:`chromium_context`, which skips the
test, saying what to install, when Playwright or Chromium is missing.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or "/usr/bin/chromium"
# A closed network: without these flags Chromium tries (and waits on) many connections.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
INSTALL_CHROMIUM = ("Chromium not found: on Debian/Ubuntu `sudo apt-get install -y chromium` "
                    "(Debian's package; Playwright's own browser download is not used)")
INSTALL_PLAYWRIGHT = "playwright not installed: pip install -e '.[site]'"


def require_browser():
    """Playwright's sync API; skips the calling test when Playwright or Chromium is missing."""
    sync_api = pytest.importorskip("playwright.sync_api", reason=INSTALL_PLAYWRIGHT)
    if not Path(CHROMIUM).exists():
        pytest.skip(INSTALL_CHROMIUM)
    return sync_api


@contextmanager
def chromium_context(profile: Path, viewport: tuple[int, int] = (1280, 900)) -> Iterator:
    """A headless Chromium browser context with a new empty profile in ``profile``."""
    sync_api = require_browser()
    with sync_api.sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            profile, executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True,
            viewport={"width": viewport[0], "height": viewport[1]})
        try:
            yield context
        finally:
            context.close()
