# CTI Bridge — two commands matter: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SOFTPHONE := web_softphone
CHROMIUM ?= /usr/bin/chromium
TEST_WORKERS ?= 0

.PHONY: run test lint typecheck fmt venv provision browser softphone types clean bench

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	@touch $(STAMP)

venv: $(STAMP)

# Debian packages the suite needs: Chromium for page tests, debootstrap for the Asterisk sandbox,
# espeak-ng for the spoken sentences the transcript tests decode.
provision: $(STAMP) softphone
	@missing=""; \
	test -x $(CHROMIUM) || missing="$$missing chromium"; \
	command -v debootstrap >/dev/null || missing="$$missing debootstrap"; \
	command -v espeak-ng >/dev/null || missing="$$missing espeak-ng"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" != 0 ]; then echo "missing Debian packages:$$missing (run as root or install them)"; exit 1; fi; \
	  echo "installing$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

# npm ci again whenever package-lock.json changed since the last install (a new devDependency).
NODE_MODULES := $(SOFTPHONE)/node_modules/.package-lock.json
$(NODE_MODULES): $(SOFTPHONE)/package-lock.json
	cd $(SOFTPHONE) && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

softphone: $(NODE_MODULES)
	cd $(SOFTPHONE) && npm run --silent build

# The page's API types from the app's OpenAPI document (tests/contract/test_page_types.py
# fails when the committed src/generated/openapi.d.ts is stale).
types: $(STAMP) $(NODE_MODULES)
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	$(BIN)/cti openapi --output "$$tmp/openapi.json" && \
	$(SOFTPHONE)/node_modules/.bin/openapi-typescript "$$tmp/openapi.json" --output $(SOFTPHONE)/src/generated/openapi.d.ts

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

typecheck: $(STAMP)
	$(BIN)/mypy

fmt: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test: provision lint typecheck
	$(BIN)/pytest -n $(TEST_WORKERS)

bench: $(STAMP)
	for b in bench/*.py; do $(BIN)/python $$b || exit 1; done

run: $(STAMP) softphone
	$(BIN)/cti db upgrade
	$(BIN)/cti serve --demo

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache .pytest_cache
