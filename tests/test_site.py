"""The course as a website (``make site``): built from the committed notebooks, seen in a browser.

The site is built into a temporary folder from every ``notebooks/NN_*.ipynb`` (their stored
outputs, nothing executed) plus one small notebook made here that holds a matplotlib
``to_jshtml()`` animation, the other kind of animation a notebook can show. Headless Chromium
(Debian's ``chromium`` package, driven by Playwright without a browser download) then opens
every page and checks that the figures load, the GIFs and the jshtml animation play, MathJax
typesets every equation from the site's own copy, and no request leaves the site.

Skipped when Sphinx/MyST-NB (``pip install -e ".[site]"``), Playwright or Chromium
(``apt-get install chromium``) is missing. The browser-launch code is in ``tests/_browser.py``,
shared with ``tests/test_browser.py``.
"""

from __future__ import annotations

import base64
import importlib.util
import io
import re
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

import build_site  # noqa: E402
from _browser import chromium_context  # noqa: E402

LOCAL_SCHEMES = {"file", "data", "blob", "about"}


# ---- the home page's course map (no build, no browser) ------------------------------------

README = """# g3an-edu

A course.

## The course

| notebook | what it teaches | `fast` |
|---|---|---|
| `00_tour` | the tour | 19 s |
| `05_gone` | a notebook that no longer exists | 1 s |

Times: measured somewhere.

## Next
"""


def _notebook(path: Path, title: str) -> Path:
    nb = new_notebook(cells=[new_markdown_cell(f"# {title}\n\nText.")])
    nbformat.write(nb, path)
    return path


def test_course_map_links_every_notebook_and_adds_the_ones_without_a_row(tmp_path):
    notebooks = [_notebook(tmp_path / "00_tour.ipynb", "00 · A tour"),
                 _notebook(tmp_path / "08_new.ipynb", "08 · Something new")]
    table = build_site.course_table(README, notebooks)
    assert "| [`00_tour`](notebooks/00_tour.ipynb) | the tour | 19 s |" in table
    assert "| [`08_new`](notebooks/08_new.ipynb) | 08 · Something new |  |" in table
    assert "| `05_gone` |" in table  # a row without a notebook stays, unlinked
    assert table.endswith("Times: measured somewhere.")
    page = build_site.home_page(README, notebooks)
    assert "notebooks/00_tour\nnotebooks/08_new\n```" in page  # the toctree, in course order


def _site_conf():
    spec = importlib.util.spec_from_file_location("site_conf", ROOT / "tools/site/conf.py")
    conf = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(conf)
    return conf


def test_a_progress_bar_widget_shows_its_final_state_as_text():
    conf = _site_conf()
    state = {  # what tqdm.auto leaves in a notebook's metadata after 40 of 40 steps
        "box": {"model_name": "HBoxModel",
                "state": {"children": ["IPY_MODEL_a", "IPY_MODEL_bar", "IPY_MODEL_b"]}},
        "a": {"model_name": "HTMLModel", "state": {"description": "", "value": "train: 100%"}},
        "bar": {"model_name": "FloatProgressModel",
                "state": {"min": 0.0, "max": 40.0, "value": 40.0}},
        "b": {"model_name": "HTMLModel", "state": {"value": " 40/40 [00:20&lt;00:00]"}},
    }
    assert conf._widget_text("box", state) == "train: 100%|██████████| 40/40 [00:20<00:00]"
    assert conf._widget_text("missing", state) == ""


def test_every_numbered_notebook_is_a_page():
    found = build_site.course_notebooks()
    assert found == sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")) and found


# ---- the built site in a browser ----------------------------------------------------------

def _jshtml_notebook(path: Path) -> Path:
    """A notebook whose one output is a 4-frame matplotlib jshtml animation, and an equation."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.animation import FuncAnimation

    fig, ax = plt.subplots(figsize=(1.5, 1.5), dpi=40)
    (line,) = ax.plot([0, 1], [0, 0])
    ax.set_ylim(0, 4)
    anim = FuncAnimation(fig, lambda i: line.set_ydata([0, i]), frames=4)
    html = anim.to_jshtml(fps=10)
    plt.close(fig)
    nb = new_notebook(cells=[
        new_markdown_cell("# 99 · Site check\n\nAn equation:\n\n$$ T = 4(L+3). $$"),
        new_code_cell("anim", outputs=[new_output(
            "display_data", data={"text/html": html, "text/plain": "<IPython.HTML object>"})]),
    ], metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                "language": "python"},
                 "language_info": {"name": "python"}})
    nbformat.write(nb, path)
    return path


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    for module in ("sphinx", "myst_nb", "sphinx_book_theme"):
        pytest.importorskip(module, reason=f"{module} not installed: pip install -e '.[site]'")
    work = tmp_path_factory.mktemp("site")
    extra = _jshtml_notebook(work / "99_site_check.ipynb")
    t0 = time.perf_counter()
    html = build_site.build(None, build_site.course_notebooks() + [extra],
                            work=work / "work", quiet=True)
    print(f"site built in {time.perf_counter() - t0:.1f} s")
    return html


@pytest.fixture(scope="module")
def browser_page(tmp_path_factory):
    profile = tmp_path_factory.mktemp("chromium-profile")  # new and empty
    with chromium_context(profile) as context:  # skips without Playwright or Chromium
        requests: list[str] = []
        context.on("request", lambda r: requests.append(r.url))
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        yield page, requests, errors


# What a page shows once loaded (and MathJax done): images and whether each loaded, math
# elements and whether MathJax typeset each, the GIFs, and prose that still shows $ or a
# \command (math MyST did not recognise, e.g. $$ in the middle of a line).
PAGE_REPORT = r"""async () => {
    if (window.MathJax && MathJax.startup) await MathJax.startup.promise;
    const imgs = Array.from(document.images);
    return {
        images: imgs.length,
        broken: imgs.filter(i => !(i.complete && i.naturalWidth > 0))
                    .map(i => i.src.slice(0, 100)),
        math: document.querySelectorAll('.math').length,
        untypeset: Array.from(document.querySelectorAll('.math'))
                    .filter(m => !m.querySelector('mjx-container')).length,
        mjx: document.querySelectorAll('mjx-container').length,
        tex_errors: document.querySelectorAll('mjx-merror').length,
        gifs: imgs.filter(i => i.src.startsWith('data:image/gif'))
                  .map(i => [i.src, i.naturalWidth]),
        stray_tex: stray(),
    };
    // prose (not code, output or typeset math) that still shows $ or a \command
    function stray() {
        const root = document.querySelector('main') || document.body;
        const walk = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
        const found = [];
        for (let n = walk.nextNode(); n; n = walk.nextNode()) {
            if (n.parentElement.closest('pre, code, mjx-container, script, style, .cell_output'))
                continue;
            if (/\$|\\[a-zA-Z]+/.test(n.textContent)) found.push(n.textContent.slice(0, 80));
        }
        return found;
    }
}"""


def _open(page, path: Path) -> dict:
    """Load a page, wait for MathJax (when the page has math), report what rendered."""
    page.goto(path.as_uri(), wait_until="load")
    return page.evaluate(PAGE_REPORT)


def _gif_frames(data_uri: str) -> int:
    from PIL import Image

    raw = base64.b64decode(data_uri.split(",", 1)[1])
    return Image.open(io.BytesIO(raw)).n_frames


def test_site_pages_show_figures_animations_and_equations_offline(browser_page, site):
    page, requests, errors = browser_page
    pages = sorted((site / "notebooks").glob("*.html"))
    names = {p.stem for p in pages}
    assert {p.stem for p in build_site.course_notebooks()} <= names, "a notebook has no page"

    home = _open(page, site / "index.html")
    links = set(page.eval_on_selector_all(
        "table a[href^='notebooks/']", "as => as.map(a => a.getAttribute('href'))"))
    assert {f"notebooks/{n}.html" for n in names} <= links, "the course map misses a page"
    assert not home["broken"]

    gif_frames, equations = [], 0
    for path in pages:
        seen = _open(page, path)
        where = path.name
        assert seen["images"] and not seen["broken"], f"{where}: images not loaded {seen}"
        assert seen["untypeset"] == 0 and seen["tex_errors"] == 0, f"{where}: math {seen}"
        assert not seen["stray_tex"], f"{where}: math left as text: {seen['stray_tex']}"
        equations += seen["mjx"]
        gif_frames += [_gif_frames(src) for src, width in seen["gifs"] if width > 0]
        if path.stem != "99_site_check":
            badge = page.locator("img[alt='Open In Colab']")
            assert badge.count() == 1, f"{where}: no Colab badge"
            assert badge.evaluate("i => i.naturalWidth") > 0
            href = badge.evaluate("i => i.closest('a').href")
            assert href.endswith(f"notebooks/{path.stem}.ipynb") and "colab" in href
    assert equations > 0, "no page typeset an equation"
    assert gif_frames and all(n > 1 for n in gif_frames), f"GIF frames per GIF: {gif_frames}"

    # jshtml: the Play button advances the frames, its icon drawn by the theme's Font Awesome
    _open(page, site / "notebooks" / "99_site_check.html")
    frame = page.locator("img[id^='_anim_img']")
    first = frame.get_attribute("src")
    assert first and first.startswith("data:image/png")
    assert page.locator("button[title='Play'] svg").count() == 1, "play icon not drawn"
    page.locator("button[title='Play']").click()
    page.wait_for_function(
        "first => document.querySelector(\"img[id^='_anim_img']\").src !== first", arg=first,
        timeout=10_000)
    page.locator("button[title='Pause']").click()

    external = sorted({u for u in requests if urlparse(u).scheme not in LOCAL_SCHEMES})
    assert not external, f"requests left the site: {external}"
    assert not errors, f"JavaScript errors: {errors}"


def test_site_html_references_no_external_script_or_stylesheet(site):
    external = re.compile(
        r"<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)=[\"']https?://[^\"']*", re.I)
    found = {}
    for path in site.rglob("*.html"):
        hits = external.findall(path.read_text(encoding="utf-8"))
        if hits:
            found[str(path.relative_to(site))] = hits[:3]
    assert not found, found
