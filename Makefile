# CoP Portal: `make run` to try it, `make test` to check it.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000

.DEFAULT_GOAL := help
.PHONY: help install run test lint fmt check clean bench messages collect-messages

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml tests/js/package-lock.json
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "CoP Portal needs Python 3.11 or newer; run: make PYTHON=python3.12 ...")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@# ical.js (Thunderbird's parser) reads the feeds in one test file; skipped without npm.
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --prefix tests/js --no-audit --no-fund --silent; \
	else echo "npm not found: the ical.js feed tests will be skipped"; fi
	@touch $(STAMP)

install: $(STAMP) ## Create .venv and install the portal with its dev tools

run: $(STAMP) ## Set up SQLite, load demo data, serve http://127.0.0.1:8000 with a worker
	DEBUG=1 $(PY) manage.py migrate --noinput
	DEBUG=1 $(PY) manage.py seed_demo
	@echo ""
	@echo "  CoP Portal is starting at http://$(HOST):$(PORT)/ with a background worker."
	@echo "  Emails (sign-up links, log-in codes, RSVP confirmations) are printed in this"
	@echo "  terminal by the worker, a moment after the click. Ctrl-C stops both."
	@echo ""
	@# The worker sends the emails; the web server answers the pages. Ctrl-C reaches
	@# both; if the web server stops on its own, the trap stops the worker too.
	@export DEBUG=1 SITE_URL=http://$(HOST):$(PORT) TASKS_BACKEND=database; \
	$(PY) manage.py db_worker --no-startup-delay --interval 0.5 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver $(HOST):$(PORT)

test: $(STAMP) ## Run the whole test suite (SQLite, or PostgreSQL via DATABASE_URL)
	$(PY) -m pytest

lint: $(STAMP) ## Check code style without changing files
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

fmt: $(STAMP) ## Fix what ruff can and format the code
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

# Every language but English has its catalogue in locale/<code>/LC_MESSAGES (needs GNU
# gettext: apt-get install gettext). The .mo files are committed, so `make run` needs none.
MESSAGES := --no-obsolete --add-location=file --no-wrap -e html,txt,py \
	--ignore='.venv/*' --ignore='tests/*' --ignore='bench/*' --ignore='staticfiles/*' \
	--ignore='docs/*' --ignore='*/migrations/*' --ignore='node_modules/*'

collect-messages: $(STAMP) ## Collect the strings to translate into locale/*/django.po
	DEBUG=1 $(PY) manage.py makemessages --all $(MESSAGES)

messages: collect-messages ## Collect the strings to translate, then compile the catalogues
	DEBUG=1 $(PY) manage.py compilemessages --ignore='.venv/*' --ignore='node_modules/*'

check: lint ## Lint, then confirm models and migrations agree
	DEBUG=1 $(PY) manage.py makemigrations --check --dry-run

bench: $(STAMP) ## Run the benchmarks
	$(PY) -m bench.generation
	$(PY) -m bench.rsvp
	$(PY) -m bench.search
	$(PY) -m bench.feeds
	$(PY) -m bench.pages
	$(PY) -m bench.throughput
	$(PY) -m bench.mail

clean: ## Remove the virtualenv, the SQLite database and collected static files
	rm -rf $(VENV) tests/js/node_modules db.sqlite3 db.sqlite3-wal db.sqlite3-shm staticfiles
