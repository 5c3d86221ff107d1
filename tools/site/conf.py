"""Sphinx configuration of the course website (built by ``tools/build_site.py``, ``make site``).

The site must work offline and load nothing from another host: MathJax is served from the
site itself (``sphinx-mathjax-offline`` bundles MathJax 3), the ipywidgets loader (which would
come from a CDN) is off, and the notebooks' Colab badge image is a local copy.
"""

import html
import json
import re

from docutils import nodes

project = "g3an-edu"
author = "the g3an-edu authors"
html_title = "g3an-edu: G3AN, piece by piece"

extensions = ["myst_nb", "sphinx-mathjax-offline"]

# The committed .ipynb files already hold their outputs (executed in the fast tier by
# `make notebooks`); the site shows those and never runs a notebook.
nb_execution_mode = "off"
# $...$ and $$...$$ as the notebooks write them.
myst_enable_extensions = ["dollarmath", "amsmath"]
myst_heading_anchors = 3
# Widgets (tqdm's progress bars) would need require.js and the widget manager from a CDN:
# load no widget JavaScript and show their text form instead (rewritten from the saved widget
# state by _widgets_as_text below: the text a notebook saves is the bar's first state, 0%).
nb_ipywidgets_js = {}
nb_mime_priority_overrides = [("html", "application/vnd.jupyter.widget-view+json", None)]

# MathJax 3 from _static/mathjax/ (copied there by sphinx-mathjax-offline), never a CDN.
mathjax_path = "mathjax/tex-chtml.js"

html_theme = "sphinx_book_theme"
html_theme_options = {
    "show_toc_level": 2,
    "use_download_button": False,
    "use_fullscreen_button": False,
}
html_copy_source = False  # the .ipynb files are in the repository; no 4 MB of copies
html_show_sourcelink = False
html_last_updated_fmt = None

exclude_patterns = ["_build", "**.ipynb_checkpoints"]

COLAB_BADGE = "https://colab.research.google.com/assets/colab-badge.svg"
# matplotlib's to_jshtml() output links Font Awesome 4 from a CDN for its buttons' icons; the
# theme already ships Font Awesome (its fontawesome.js draws `<i class="fa fa-play">` too).
CDN_FONT_AWESOME = re.compile(
    r"<link\b[^>]*href=[\"']https://maxcdn\.bootstrapcdn\.com/font-awesome/[^>]*>", re.S
)


WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"


def _widget_text(model_id: str, state: dict, depth: int = 0) -> str:
    """A widget's last saved state as text: boxes join their children (HBox on one line,
    others one per line), progress bars draw as ``|█████     |``, text widgets give their
    value. tqdm's bar becomes the line it prints in a terminal."""
    model = state.get(model_id.removeprefix("IPY_MODEL_"))
    if model is None or depth > 20:
        return ""
    name, values = model.get("model_name", ""), model.get("state", {})
    if "children" in values:
        sep = "" if name == "HBoxModel" else "\n"
        return sep.join(_widget_text(c, state, depth + 1) for c in values["children"])
    if "Progress" in name:
        low, high, value = values.get("min", 0), values.get("max", 100), values.get("value", 0)
        filled = round(10 * (value - low) / (high - low)) if high > low else 0
        return "|" + "█" * filled + " " * (10 - filled) + "|"
    text = values.get("value")
    if isinstance(text, str):
        label = values.get("description") or ""
        return (label + " " if label else "") + html.unescape(re.sub(r"<[^>]+>", "", text))
    return ""


def _widgets_as_text(source: str) -> str:
    """Set each widget output's text/plain to the widget's final state (see above)."""
    nb = json.loads(source)
    state = nb.get("metadata", {}).get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    for cell in nb.get("cells", []):
        for output in cell.get("outputs", []):
            view = output.get("data", {}).get(WIDGET_VIEW)
            text = view and _widget_text(view.get("model_id", ""), state)
            if text:
                output["data"]["text/plain"] = text
    return json.dumps(nb)


def _notebook_source(app, docname, source):
    """Before MyST-NB parses a notebook: widgets as text, the Colab badge image local."""
    if WIDGET_VIEW in source[0] and str(app.env.doc2path(docname)).endswith(".ipynb"):
        source[0] = _widgets_as_text(source[0])
    # the badge keeps its link to Colab; only its image comes from the site
    source[0] = source[0].replace(COLAB_BADGE, "/_site/colab-badge.svg")


def _no_cdn_font_awesome(app, doctree):
    """Drop the CDN stylesheet link from the raw HTML of notebook outputs (jshtml)."""
    for node in list(doctree.findall(nodes.raw)):
        html = node.astext()
        if "html" in node.get("format", "").split() and CDN_FONT_AWESOME.search(html):
            new = nodes.raw("", CDN_FONT_AWESOME.sub("", html), format=node["format"])
            new["classes"] = node.get("classes", [])
            node.replace_self(new)


def setup(app):
    app.connect("source-read", _notebook_source)
    app.connect("doctree-read", _no_cdn_font_awesome)
