"""The playground notebook in a real JupyterLab, in headless Chromium: its widgets work live.

nbval runs the notebooks without a browser, where widgets never render. This test starts
JupyterLab from the project's environment (a free port, a random token, ``--allow-root`` when
run as root, a temporary copy of ``notebooks/12_playground.ipynb`` with its outputs cleared),
opens the notebook in headless Chromium (``tests/_browser.py``), runs every cell in the
fast tier, moves the playground's ``z_a seed`` slider with the keyboard, and checks that the
playground's video (its ``<img>``) and its state text change, and that no cell errored.

Skipped, saying what to install, without Playwright or Debian's ``chromium`` package.
JupyterLab is told (through a temporary settings folder) to render every cell
(``windowingMode: none``, else cells outside the viewport are not in the page) and not to
fetch news; ``window.jupyterapp`` (``--LabApp.expose_app_in_browser``) runs the cells and
reads the kernel's state, so the test waits on JupyterLab's own model, not on timings.
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest
from _browser import chromium_context, require_browser

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "12_playground.ipynb"
RUN_TIMEOUT_S = 420  # every cell, fast tier; about a minute alone on 2 cores, more when shared

# JupyterLab user settings: render all cells, no news or update checks (closed network)
SETTINGS = {
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "fetchNews": "false", "checkForUpdates": False},
}

# Until every code cell has run and the kernel is idle: "done", or "error: ..." as soon as a
# cell shows an error (a stopped run-all leaves later cells unrun: fail at once, not time out).
RUN_STATE = """() => {
    const panel = window.jupyterapp && window.jupyterapp.shell.currentWidget;
    if (!panel || !panel.content || !panel.sessionContext) return null;
    const code = panel.content.widgets.filter(c => c.model.type === 'code');
    for (const [i, cell] of code.entries()) {
        const errors = cell.model.outputs.toJSON().filter(o => o.output_type === 'error');
        if (errors.length) return `error: code cell ${i}: ${errors[0].ename}: ${errors[0].evalue}`;
    }
    const kernel = panel.sessionContext.session && panel.sessionContext.session.kernel;
    const ran = code.every(c => c.model.executionCount !== null && c.model.executionCount > 0);
    return ran && kernel && kernel.status === 'idle' ? 'done' : null;
}"""

KERNEL_READY = """() => {
    const panel = window.jupyterapp && window.jupyterapp.shell.currentWidget;
    const kernel = panel && panel.sessionContext && panel.sessionContext.session
        && panel.sessionContext.session.kernel;
    return Boolean(kernel && kernel.status === 'idle' && panel.content.widgets.length > 0);
}"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _copy_without_outputs(src: Path, dst: Path) -> None:
    nb = nbformat.read(src, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    nb.metadata.pop("widgets", None)
    nbformat.write(nb, dst)


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """A JupyterLab server on a free port serving a copy of the playground notebook:
    ``(url of the notebook, its log file)``."""
    require_browser()  # skip before starting a server when there is no browser
    pytest.importorskip("jupyterlab", reason="jupyterlab not installed: pip install -e "
                                             "'.[course]'")
    pytest.importorskip("ipywidgets", reason="ipywidgets not installed")
    work = tmp_path_factory.mktemp("lab")
    (work / "notebooks").mkdir()
    _copy_without_outputs(NOTEBOOK, work / "notebooks" / NOTEBOOK.name)
    for name, value in SETTINGS.items():
        path = work / "settings" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(value))
    port, token = _free_port(), secrets.token_hex(16)
    env = {**os.environ, "G3AN_TIER": "fast", "OMP_NUM_THREADS": "1",
           "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
           "JUPYTERLAB_SETTINGS_DIR": str(work / "settings"),
           "JUPYTERLAB_WORKSPACES_DIR": str(work / "workspaces"),
           "JUPYTER_RUNTIME_DIR": str(work / "runtime"),
           "JUPYTER_CONFIG_DIR": str(work / "config")}
    command = [sys.executable, "-m", "jupyterlab", "--no-browser", f"--port={port}",
               "--ServerApp.ip=127.0.0.1", f"--IdentityProvider.token={token}",
               f"--ServerApp.root_dir={work / 'notebooks'}", "--LabApp.expose_app_in_browser=True"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")  # Jupyter refuses to run as root unless told
    log = work / "jupyterlab.log"
    with open(log, "w") as out:
        server = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=5):
                    break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"JupyterLab did not start:\n{log.read_text()[-3000:]}")
                time.sleep(0.5)
        yield f"{base}/lab/tree/{NOTEBOOK.name}?token={token}", log
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()


def _move_slider(page, label: str) -> None:
    """Press the right arrow key on the playground's slider called ``label``."""
    slider = page.locator(".widget-slider", has=page.get_by_text(label, exact=True)).first
    slider.scroll_into_view_if_needed()
    handle = slider.locator(".noUi-handle, .ui-slider-handle").first  # ipywidgets 8, 7
    handle.focus()
    handle.press("ArrowRight")


def test_playground_runs_and_its_video_follows_a_slider(lab, tmp_path):
    url, log = lab
    t0 = time.monotonic()
    with chromium_context(tmp_path / "profile") as context:
        page = context.new_page()
        page_errors: list[str] = []
        page.on("pageerror", lambda e: page_errors.append(str(e)))
        page.goto(url, wait_until="domcontentloaded", timeout=120_000)
        page.wait_for_function(KERNEL_READY, timeout=180_000, polling=500)
        page.evaluate("() => { window.jupyterapp.commands.execute('notebook:run-all-cells'); }")
        state = page.wait_for_function(RUN_STATE, timeout=RUN_TIMEOUT_S * 1000,
                                       polling=1000).json_value()
        assert state == "done", f"{state}\n(JupyterLab log: {log})"
        ran = time.monotonic() - t0

        output = page.locator(".jp-OutputArea-output",
                              has=page.get_by_text("z_a seed", exact=True)).first
        image = output.locator("img").first
        info = output.locator("pre").first
        before_src, before_text = image.get_attribute("src"), info.inner_text()
        assert before_src and "z_a: seed 0," in before_text, before_text
        _move_slider(page, "z_a seed")
        page.wait_for_function(
            "([el, src]) => el.getAttribute('src') !== src",
            arg=[image.element_handle(), before_src], timeout=60_000, polling=250)
        after_text = info.inner_text()
        assert "z_a: seed 1," in after_text, after_text
        assert image.evaluate("i => i.complete && i.naturalWidth > 0"), "the new GIF did not load"
        final = page.evaluate(RUN_STATE)
        assert final == "done", f"after moving the slider: {final}"
        assert not page_errors, f"JavaScript errors: {page_errors}"
    print(f"notebook ran in JupyterLab in {ran:.0f} s; test {time.monotonic() - t0:.0f} s")
