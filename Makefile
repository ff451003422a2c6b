# Two commands for a fresh machine:  make run  (play)   and   make test  (check everything).
# make room serves a workshop to the trainees' own devices on the local network (docs/deploy.md).
PYTHON ?= python3.11
VENV   := .venv
PY     := $(VENV)/bin/python
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: run dev room test install install-dev services chromium lint bench serve-prod clean

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

# DEBUG off and the install's own secret key (generated once into .secret_key); `make dev` turns DEBUG on.
run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_scenario
	@echo "Serving on http://$(HOST):$(PORT)/  (Ctrl-C to stop)"
	DJANGO_PUBLIC_PORTS=$(PORT) $(PY) manage.py serve -b $(HOST) -p $(PORT) negotiation_game.asgi:application

dev: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_scenario
	@echo "Serving on http://$(HOST):$(PORT)/ with DEBUG on (Ctrl-C to stop)"
	DJANGO_DEBUG=1 DJANGO_PUBLIC_PORTS=$(PORT) $(PY) manage.py serve -b $(HOST) -p $(PORT) negotiation_game.asgi:application

# A workshop on this laptop for the trainees' own devices: serves on the machine's local-network
# addresses (and 127.0.0.1), allows in exactly those and its host name, prints the join address.
room: install
	$(PY) -m negotiation_game.room --port $(PORT)

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

# --- benchmarks and the production shape (docs/performance.md, docs/deploy.md) ----------------------
# make bench: scoring, the chat-only realtime bench and the mixed bench (bench/mixed.py: practice
# games with bots and live scoring, workshop tables, the durable floor and a capacity ladder) on the
# embedded default (SQLite + in-memory layer, one process) and on PostgreSQL + Redis with two processes
# (skipped, saying so, if they are not running), the replay bench if present, and a room on a laptop
# (bench/room.py: the `make room` server, 10 tables x 6 trainees, bots in the other seats). Figures are
# printed; nothing is asserted. BENCH_ARGS=--full for the chat-only bench's full targets (60 s runs,
# 3,000 idle sockets); MIXED_ARGS for the mixed bench's (--quick: a short run).
BENCH_ARGS ?=
MIXED_ARGS ?=
bench: install-dev
	$(PY) bench/bots.py
	$(PY) bench/scoring.py
	$(PY) bench/realtime.py --duration 30 $(BENCH_ARGS)
	$(PY) bench/mixed.py $(MIXED_ARGS)
	@bash scripts/services.sh >/dev/null 2>&1 || true
	@if $(PY) -c "import socket; [socket.create_connection(a, 2).close() for a in (('127.0.0.1', 5432), ('127.0.0.1', 6379))]" 2>/dev/null; then \
		$(PY) bench/realtime.py --redis --processes 2 --duration 30 $(BENCH_ARGS) && \
		$(PY) bench/mixed.py --redis --processes 2 $(MIXED_ARGS); \
	else echo "PostgreSQL (127.0.0.1:5432) or Redis (127.0.0.1:6379) is not running: skipping the --redis --processes 2 run"; fi
	@if [ -f bench/replay.py ]; then $(PY) bench/replay.py; fi
	$(PY) bench/room.py --duration 30

# make serve-prod: the production shape on this machine -- PostgreSQL + Redis, DEBUG off, static files
# collected and served by whitenoise, PROD_PROCESSES daphne processes on ports 8001.. and one clock
# process (manage.py run_timers). Put a reverse proxy in front (docs/deploy.md). Ctrl-C stops it all.
PROD_PROCESSES ?= 2
serve-prod: install
	@PY=$(PY) PROCESSES=$(PROD_PROCESSES) bash scripts/serve_prod.sh
