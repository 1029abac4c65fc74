# natverk — one command to set up and start, one to test.  See README.md.
SHELL := /bin/bash
PYTHON ?= python3
UV_VERSION := 0.13.9
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)

.PHONY: setup promtool up test demo bench lint schemas soak clean

# Development mode (README "Tokens in production"): the development JWT secret, audience and
# issuer for the local stack, the demo, the tests and the stacks they start.  Production sets
# NATVERK_JWKS (or a secret), NATVERK_JWT_AUDIENCE and NATVERK_JWT_ISSUER instead.
up demo test bench soak: export NATVERK_DEV ?= 1

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(VENV)/.synced: pyproject.toml uv.lock contracts/pyproject.toml | $(UV)
	$(UV) sync --frozen --python $(PYTHON)
	touch $@

setup: $(VENV)/.synced promtool  ## create the environment (idempotent)

# promtool checks and unit-tests the alert rules in deploy/prometheus (Debian's prometheus package).
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
promtool:
	@command -v promtool >/dev/null || { \
	  echo "installing Debian's prometheus package for promtool"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends prometheus >/dev/null; }

up: setup  ## start the broker and every service; Ctrl-C stops them
	$(VENV)/bin/natverk up

demo: setup  ## publish a realistic scenario against the stack (starting it if needed) and print the timeline
	$(VENV)/bin/natverk demo --start

# Two workers: the tests that start processes of their own (broker, stack, PostgreSQL) run on
# one, one after the other, while the other takes the in-process tests (tests/conftest.py).
test: setup lint  ## the whole suite: unit, component, integration (real broker, SQLite and PostgreSQL), e2e
	$(VENV)/bin/python -m pytest -n 2 --dist loadgroup

lint: setup  ## ruff (rules and format), architecture contracts, committed schemas
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/python -m contracts.generate --check

schemas: setup  ## regenerate contracts/schemas and contracts/asyncapi.json
	$(VENV)/bin/python -m contracts.generate

bench: setup  ## benchmarks; results in bench/results/
	$(VENV)/bin/python bench/ingest.py
	$(VENV)/bin/python bench/stack.py
	$(VENV)/bin/python bench/pipeline.py
	$(VENV)/bin/python bench/staff_meetings.py
	$(VENV)/bin/python bench/rebuild.py

soak: setup  ## the crash harness for ten minutes with a fresh seed (printed; rerun with SEED=...)
	$(VENV)/bin/python -m tests.chaos.harness --seconds $${SOAK_SECONDS:-600} $${SEED:+--seed $$SEED}

clean:
	rm -rf var .pytest_cache
