# Two commands do all the set-up on a fresh machine:
#   make lab    open the course in JupyterLab
#   make test   run the whole test suite (what CI runs)
# Both create or update the local virtual environment in .venv first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
PYTEST_ARGS ?=

.PHONY: lab test lint nbtest pytest students sync benchmark clean-venv

$(STAMP): pyproject.toml constraints.txt tools/install_torch.sh
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "The pinned \
	course environment needs Python >= 3.11 (found $$($(PYTHON) --version)). Run e.g. \
	'make PYTHON=python3.12 lab', or use environment.yml (the package alone supports 3.10)."; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	sh tools/install_torch.sh $(BIN)/python
	$(BIN)/python -m pip install -q -c constraints.txt -e ".[course,dev]"
	touch $(STAMP)

lab: $(STAMP)
	$(BIN)/jupyter lab notebooks/

# pytest runs the package tests (tests/) and, through nbval, every notebook in its fast tier.
NBVAL := --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg

test: $(STAMP)
	$(BIN)/ruff check .
	G3AN_TIER=fast $(BIN)/python -m pytest -n 2 --dist loadfile $(NBVAL) $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .

benchmark: $(STAMP)
	$(BIN)/python benchmarks/bench_model.py
	$(BIN)/python benchmarks/bench_train.py

clean-venv:
	rm -rf $(VENV)
