# Two commands do all the set-up on a fresh machine:
#   make lab    open the course in JupyterLab
#   make test   run the whole test suite (what CI runs)
# Both create or update the local virtual environment in .venv first, and so does
#   make site   build the course as a static website in site/ (open site/index.html)
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
SITE_STAMP := $(VENV)/.site-installed-stamp
PYTEST_ARGS ?=

.PHONY: lab test lint nbtest pytest notebooks students site sync benchmark clean-venv

$(STAMP): pyproject.toml constraints.txt tools/install_torch.sh
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "The pinned \
	course environment needs Python >= 3.11 (found $$($(PYTHON) --version)). Run e.g. \
	'make PYTHON=python3.12 lab', or use environment.yml (the package alone supports 3.10)."; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	sh tools/install_torch.sh $(BIN)/python
	$(BIN)/python -m pip install -q -c constraints.txt -e ".[course,dev]"
	touch $(STAMP)

# The website's tools (Sphinx, MyST-NB, the theme, MathJax) and Playwright for its browser
# test: the "site" extra, on top of the course environment.
$(SITE_STAMP): $(STAMP)
	$(BIN)/python -m pip install -q -c constraints.txt -e ".[course,dev,site]"
	touch $(SITE_STAMP)

# Jupyter refuses to run as root unless told (containers, some cloud machines).
lab: $(STAMP)
	$(BIN)/jupyter lab notebooks/ $$([ "$$(id -u)" = 0 ] && echo --allow-root)

# pytest runs the package tests (tests/) and, through nbval, every notebook in its fast tier.
NBVAL := --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg

test: $(STAMP) $(SITE_STAMP)
	$(BIN)/ruff check .
	G3AN_TIER=fast $(BIN)/python -m pytest -n 2 --dist loadfile $(NBVAL) $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .

# Re-execute every notebook pair in the fast tier: the .py (reviewed source) rewrites the
# .ipynb's cells, then the .ipynb is run and saved with its outputs. Run it after editing a .py.
# One notebook: make notebooks NB=notebooks/01_transposed_convolutions.py
# (its student copy in notebooks/student/ is rewritten too)
NB ?= $(wildcard notebooks/[0-9][0-9]_*.py)
notebooks: $(STAMP)
	for f in $(NB); do \
		echo "== $$f"; \
		G3AN_TIER=fast $(BIN)/jupytext --to ipynb --set-kernel python3 --execute $$f || exit 1; \
		$(BIN)/python tools/tidy_notebook.py $${f%.py}.ipynb || exit 1; \
		$(BIN)/python tools/make_student_copies.py $$f || exit 1; \
	done

# The course as a website: every executed notebook (its stored outputs, nothing re-run) as a
# page, the course map as the home page. Open site/index.html; works offline.
site: $(SITE_STAMP)
	$(BIN)/python tools/build_site.py --quiet --out site

# Student copies (solutions replaced by stubs, no outputs) in notebooks/student/, committed:
# each notebook's second Colab badge opens its copy. `make notebooks` refreshes them too.
students: $(STAMP)
	$(BIN)/python tools/make_student_copies.py

benchmark: $(STAMP)
	$(BIN)/python benchmarks/bench_model.py
	$(BIN)/python benchmarks/bench_train.py

clean-venv:
	rm -rf $(VENV)
