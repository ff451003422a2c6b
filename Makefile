# Two commands for a fresh machine:  make run  (play)   and   make test  (check everything).
PYTHON ?= python3.11
VENV   := .venv
PY     := $(VENV)/bin/python
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: run test install install-dev services chromium lint bench clean

$(VENV)/bin/activate:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# Re-install only when the dependency list changes.
$(VENV)/.installed: pyproject.toml | $(VENV)/bin/activate
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(VENV)/bin/activate
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_scenario
	@echo "Serving on http://$(HOST):$(PORT)/  (Ctrl-C to stop)"
	$(VENV)/bin/daphne -b $(HOST) -p $(PORT) negotiation_game.asgi:application

# PostgreSQL and Redis are needed by the scale-out tests; start them if installed but down.
services:
	@bash scripts/services.sh

# The browser tests drive Debian's Chromium (never `playwright install`: it downloads its own browser).
chromium:
	@command -v chromium >/dev/null 2>&1 || bash scripts/install-chromium.sh

lint: install-dev
	$(VENV)/bin/lint-imports

test: install-dev services chromium
	$(VENV)/bin/lint-imports
	$(VENV)/bin/pytest

clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-* staticfiles .pytest_cache
