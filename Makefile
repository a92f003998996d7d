# hwcloud.migration: `make demo` runs the gate against the bundled emulator,
# `make test` runs every test. Both set up everything they need in .venv.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
COLLECTIONS := $(VENV)/collections
COLLECTION_LINK := $(COLLECTIONS)/ansible_collections/hwcloud/migration
export ANSIBLE_COLLECTIONS_PATH := $(abspath $(COLLECTIONS))
export PATH := $(abspath $(BIN)):$(PATH)

.PHONY: venv chromium demo test lint sanity units integration bench clean

venv: $(STAMP) $(COLLECTION_LINK)

$(STAMP): requirements.txt requirements-test.txt emulator/pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r requirements-test.txt
	$(BIN)/python -m pip install -q -e emulator
	touch $@

# The collection is used straight from this checkout through a symlink in a
# private collections path, so edits are live without a rebuild.
$(COLLECTION_LINK):
	mkdir -p $(dir $@)
	ln -sfn $(abspath .) $@

demo: venv
	$(BIN)/python tools/demo.py

lint: venv
	$(BIN)/ansible-lint --profile production

sanity: venv
	tools/sanity.sh

# Two suites with their own conftest files: run them as separate sessions.
units: venv chromium
	$(BIN)/python -m pytest -q tests/unit tests/benchmark
	$(BIN)/python -m pytest -q emulator/tests

# The HTML report is checked in Debian's headless Chromium; install it when absent
# (CI runs as root on a fresh Debian machine).
chromium:
	@command -v chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

# pytest exits 5 when it collects nothing: say so instead of failing the run.
integration: venv chromium
	$(BIN)/python -m pytest -q -n 2 tests/integration; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "integration: no tests collected"; rc=0; fi; exit $$rc

# release-check (mk/ecosystem.mk): changelog lint, Galaxy build + galaxy-importer,
# execution-environment context, docs-check (antsibull-docs lint, docsite build).
test: lint sanity units integration release-check

bench: venv
	$(BIN)/python tests/benchmark/bench.py

# Docs, Galaxy import, execution environment, version matrix, changelog.
-include mk/ecosystem.mk

clean:
	rm -rf build tests/output reports .pytest_cache
