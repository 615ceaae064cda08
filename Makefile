# The two commands that matter: `make demo` and `make test` (see README.md).
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
DEMO_ENV := DJANGO_SETTINGS_MODULE=agency_platform.settings.demo
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: demo test install services browser edge lint format check-migrations ci audit lock clean bench

## demo: install, migrate the embedded SQLite database, load demo content, run web + Celery worker
demo: install
	$(DEMO_ENV) $(PY) manage.py run_demo

# pytest-xdist: one test process per core (at most 4: each takes three Redis databases,
# see settings/test.py). --dist load hands tests out in collection order, which
# pytest-django sorts so that transactional tests (whose flush empties the database)
# come after every test that needs the rows migrations made; each process keeps that
# order (--dist loadfile would not: it hands out whole files).
PYTEST_ARGS ?= -n auto --maxprocesses 4 --dist load

## test: install, check PostgreSQL and Redis, install Chromium and Varnish, run the whole suite on PostgreSQL
test: install services browser edge
	$(PY) -m pytest $(PYTEST_ARGS)

install: $(VENV)/.installed

$(VENV)/.installed: requirements-dev.lock pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	# Hash-checked install from the lock, then the project itself (no dependencies).
	$(PY) -m pip install --quiet --require-hashes -r requirements-dev.lock
	$(PY) -m pip install --quiet --no-deps -e .
	@touch $@

services:
	$(PY) infra/scripts/check_services.py

browser:
	@if [ ! -x /usr/bin/chromium ]; then \
		echo "Installing Debian's chromium for the end-to-end tests"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium; \
	fi
	@/usr/bin/chromium --version
	@$(MAKE) --no-print-directory $(LIGHTHOUSE)

# Lighthouse (tests/core/test_lighthouse_seo.py), exactly as infra/lighthouse's lock pins
# it; reinstalled only when the lock changes.
LIGHTHOUSE := infra/lighthouse/node_modules/.installed
$(LIGHTHOUSE): infra/lighthouse/package-lock.json
	@command -v npm >/dev/null || { echo "npm (Node 20+) is needed for the Lighthouse test"; exit 1; }
	cd infra/lighthouse && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# Varnish for the edge cache tests (tests/edge run infra/edge/varnish.vcl in varnishd).
edge:
	@if [ ! -x /usr/sbin/varnishd ]; then \
		echo "Installing Debian's varnish for the edge cache tests"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq varnish; \
	fi
	@/usr/sbin/varnishd -V 2>&1 | head -n 1

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

check-migrations: install
	$(PY) manage.py check --fail-level WARNING
	$(PY) manage.py makemigrations --check --dry-run

## ci: what .ci/run does
ci: lint check-migrations test

## audit: known-vulnerability scan of the pinned dependencies (needs network access)
audit: install
	$(PY) -m pip install --quiet pip-audit
	$(VENV)/bin/pip-audit --strict --require-hashes -r requirements.lock

## bench: public-page benchmark (infra/bench/README.md), e.g.
##   make bench BENCH_ARGS="--reference /tmp/bakerydemo --json bench.json"
bench: install
	$(PY) infra/bench/run.py $(BENCH_ARGS)

## lock: re-pin dependencies after editing pyproject.toml (records no index addresses)
lock:
	uv pip compile pyproject.toml --generate-hashes -o requirements.lock
	uv pip compile pyproject.toml --extra dev --generate-hashes -o requirements-dev.lock

clean:
	rm -rf var/ .pytest_cache
