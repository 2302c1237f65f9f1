# The portal's commands (see README.md). Everything installs into .venv, created if missing.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app portal
HOST ?= 127.0.0.1
PORT ?= 5000
SIZE ?=
PYTEST_ARGS ?=
# The suite runs on this many processes (pytest-xdist; an idle one takes tests queued for a busy one); 0 runs it in this one.
PYTEST_WORKERS ?= 2
# `make test` measures which lines and branches of portal/ the suite runs (pytest-cov; settings and the floor
# in pyproject's [tool.coverage]) and prints the total, at about a fifth more CPU time; COVERAGE=0 leaves it
# out. The floor holds for the whole suite only: with PYTEST_ARGS the run picks a part of it, so its figure is
# shown, not held.
COVERAGE ?= 1
COVERAGE_ARGS := $(if $(filter 1,$(COVERAGE)),--cov $(if $(PYTEST_ARGS),--cov-fail-under=0),)

.PHONY: run test bench install install-test browser lint clean translations catalogue

$(PY):
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(VENV)/.installed $@

install: $(VENV)/.installed catalogue

install-test: $(VENV)/.installed-test catalogue

# The compiled catalogues (.mo) are built from portal/translations/*/LC_MESSAGES/messages.po.
catalogue: | $(VENV)/.installed
	$(PY) -c "from portal.catalogue import compile_if_stale; compile_if_stale()"

# After adding or changing messages: extract them into every catalogue, check what is left to
# translate (exits 1 naming each message), compile. Translate the new entries and run it again.
translations: install
	$(FLASK) translations update
	$(FLASK) translations check
	$(FLASK) translations compile

# Browser tests drive Debian's Chromium (Playwright cannot download its own browser here).
browser:
	@command -v chromium >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium; \
	  else echo "Browser tests need Chromium: sudo apt-get install chromium" >&2; exit 1; fi; }

run: install
	$(FLASK) db upgrade
	$(FLASK) seed-demo
	$(FLASK) search-index rebuild
	@echo "Serving the portal on http://$(HOST):$(PORT)  (Ctrl+C stops it)"
	$(FLASK) run --host $(HOST) --port $(PORT)

test: install-test browser
	$(PY) -m pytest -n $(PYTEST_WORKERS) --dist worksteal $(COVERAGE_ARGS) $(PYTEST_ARGS); status=$$?; \
	  if [ $$status -eq 5 ]; then echo "pytest collected no tests" >&2; fi; exit $$status

bench: install-test
	$(PY) -m tests.bench $(if $(SIZE),--size $(SIZE),)

lint: install-test
	$(VENV)/bin/ruff check portal tests config.py
	$(VENV)/bin/ruff format --check portal tests config.py
	$(VENV)/bin/mypy

clean:
	rm -rf $(VENV) .pytest_cache .coverage .coverage.* htmlcov
