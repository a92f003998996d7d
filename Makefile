# hwcloud.migration: `make demo` runs the gate against the bundled emulator (in its
# own small environment, build/demo-venv), `make test` runs every test (in .venv).
# Both set up everything they need.
SHELL := /bin/bash
# The Python the environments are made with: the newest Python 3.11 or later that
# runs and has venv (tools/find_python.sh; `make which-python` shows the pick).
# PYTHON=/path/to/python overrides it; an environment already made keeps its
# Python until `make clean`.
ifndef PYTHON
PYTHON := $(shell tools/find_python.sh)
endif
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
COLLECTIONS := $(VENV)/collections
COLLECTION_LINK := $(COLLECTIONS)/ansible_collections/hwcloud/migration
export ANSIBLE_COLLECTIONS_PATH := $(abspath $(COLLECTIONS))
export PATH := $(abspath $(BIN)):$(PATH)

TEST_RESULTS := build/test-results
DEMO_VENV := build/demo-venv
DEMO_STAMP := $(DEMO_VENV)/.installed
DEMO_COLLECTION_LINK := $(DEMO_VENV)/collections/ansible_collections/hwcloud/migration
DIST := build/dist

.PHONY: venv which-python chromium java demo dist test lint format sanity units integration bench clean

venv: $(STAMP) $(COLLECTION_LINK)

# Every target that makes an environment runs this first (order-only), so the
# log says which Python it used, and a machine without one fails here, plainly.
which-python:
	@test -n "$(PYTHON)" || { echo "which-python: no Python 3.11 or newer with venv (see above); set PYTHON=/path/to/python3"; exit 1; }
	@echo "python: $(PYTHON) ($$($(PYTHON) -V 2>&1))"
	@python='$(MATRIX_PYTHON)'; echo "matrix python (ansible-core $(MATRIX_CORE)): $${python:-none}$${python:+ ($$($$python -V 2>&1))}"

$(STAMP): requirements.txt requirements-test.txt emulator/pyproject.toml | which-python
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r requirements-test.txt
	$(BIN)/python -m pip install -q -e emulator
	touch $@

# The collection is used straight from this checkout through a symlink in a
# private collections path, so edits are live without a rebuild.
$(COLLECTION_LINK) $(DEMO_COLLECTION_LINK):
	mkdir -p $(dir $@)
	ln -sfn $(abspath .) $@

# The demo needs what a controller needs (requirements.txt, ansible-core: the newest
# this Python can install) and the emulator, not the test toolchain. When this
# Python has pip, it installs them into an environment created without pip of its
# own (a first run stays well under 30 s); else the environment gets its own pip.
DEMO_PACKAGES := -r requirements.txt 'ansible-core>=2.16' ./emulator
$(DEMO_STAMP): requirements.txt emulator/pyproject.toml $(wildcard emulator/hwc_emulator/*.py emulator/scenarios/*.yml) | which-python
	if $(PYTHON) -m pip --version >/dev/null 2>&1; then \
	  test -x $(DEMO_VENV)/bin/python || $(PYTHON) -m venv --without-pip $(DEMO_VENV); \
	  $(PYTHON) -m pip --python $(DEMO_VENV)/bin/python install -q $(DEMO_PACKAGES); \
	else \
	  test -x $(DEMO_VENV)/bin/python || $(PYTHON) -m venv $(DEMO_VENV); \
	  $(DEMO_VENV)/bin/python -m pip install -q $(DEMO_PACKAGES); \
	fi
	touch $@

demo: $(DEMO_STAMP) $(DEMO_COLLECTION_LINK)
	$(DEMO_VENV)/bin/python tools/demo.py

# ruff.toml is the one Python style (lint and format) for plugins/, tests/,
# emulator/ and tools/; `make format` applies it.
lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/ansible-lint --profile production

format: venv
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

sanity: venv
	tools/sanity.sh

# Every suite writes JUnit XML to $(TEST_RESULTS); tools/test_floors.py prints how
# many tests it ran and fails when that is below its floor in tests/floors.json.
# pytest's exit 5 (nothing collected) fails the target like any other failure.
# Two suites with their own conftest files: run them as separate sessions.
# Each suite runs on two workers (-n 2) and lists its slowest tests (--durations),
# so a run's log shows where the time of `make test` goes.
units: venv chromium
	$(BIN)/python -m pytest -q -n 2 --durations=10 --junitxml=$(TEST_RESULTS)/units.xml tests/unit tests/benchmark
	$(BIN)/python tools/test_floors.py check units
	$(BIN)/python -m pytest -q -n 2 --durations=10 --junitxml=$(TEST_RESULTS)/emulator.xml emulator/tests
	$(BIN)/python tools/test_floors.py check emulator

# The HTML report is checked in Debian's headless Chromium; install it when absent
# (CI runs as root on a fresh Debian machine).
chromium:
	@command -v chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

# ansible-rulebook (tests/integration/test_rulebook.py) runs its rules on a Java 17+ runtime,
# which it finds through JAVA_HOME or the `java` on PATH (libjvm.so in the JRE's lib/server);
# install Debian's headless JRE (17 on Debian 12, 21 on Debian 13) when there is none as new.
java:
	@version=$$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p'); \
	  test "$${version:-0}" -ge 17 2>/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless >/dev/null; }

integration: venv chromium java
	$(BIN)/python -m pytest -q -n 2 --durations=20 --junitxml=$(TEST_RESULTS)/integration.xml tests/integration
	$(BIN)/python tools/test_floors.py check integration

# release-check (mk/ecosystem.mk): changelog lint, Galaxy build + galaxy-importer,
# execution-environment context, docs-check (antsibull-docs lint, docsite build),
# the emulator wheel (mk/emulator.mk).
test: lint sanity units integration release-check security-matrix
	$(BIN)/python tools/test_floors.py summary

# What users install (README, "Installing"): the collection tarball for
# `ansible-galaxy collection install` and the emulator's wheel for `pip install`,
# side by side in $(DIST).
dist: collection-build emulator-dist
	cp $(EMULATOR_DIST)/hwc_emulator-*.whl $(DIST)/
	@ls -1 $(TARBALL) $(DIST)/hwc_emulator-*.whl

# `make bench` measures the working tree and, in the same run, alternating, the
# commit before the restructure of issue 21 (checked out in build/bench-baseline):
# BENCH_BASELINE=<ref> measures another commit beside it, BENCH_BASELINE=none none.
BENCH_BASELINE ?= 25d231b
bench: venv
	BENCH_BASELINE='$(BENCH_BASELINE)' $(BIN)/python tests/benchmark/bench.py

# Docs, Galaxy import, execution environment, version matrix, changelog.
-include mk/ecosystem.mk
# The emulator's wheel and sdist, and its copy of the API contract.
include mk/emulator.mk

clean:
	rm -rf build tests/output reports .pytest_cache
