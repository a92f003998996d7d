# Ansible ecosystem targets, included by the Makefile (which defines BIN, VENV,
# COLLECTIONS, PYTHON, DIST and the `venv` and `which-python` targets):
#
#   make docs             the collection's docsite in build/docs/html (antsibull-docs + Sphinx, offline)
#   make docs-check       antsibull-docs lint of plugin docs and extra docs, the docsite build, its tests
#   make ecosystem        the tests in tests/ecosystem (docsite pages, Galaxy tarball, EE context)
#   make changelog-check  antsibull-changelog lint (fragments, and changelog.yaml once released)
#   make release-check    changelog lint, collection build, galaxy-importer, ansible-builder create
#   make test-matrix      sanity, unit and integration tests on another ansible-core (2.16)
#   make security-matrix  the security tests (pytest -m security) on that ansible-core (2.16); a part of `make test`
#
# galaxy-importer and ansible-builder pin their own ansible-core and ansible-lint,
# so they live in a separate virtual environment, $(RELEASE_VENV).

COLLECTION_VERSION := $(shell sed -n 's/^version:[[:space:]]*//p' galaxy.yml)
TARBALL := $(DIST)/hwcloud-migration-$(COLLECTION_VERSION).tar.gz
EE_DIR := build/ee
# ansible-builder copies this fixed name into the image (see execution-environment.yml).
EE_TARBALL := $(EE_DIR)/hwcloud.migration.tar.gz
EE_CONTEXT := $(EE_DIR)/context
RELEASE_VENV := build/release-venv
RELEASE_STAMP := $(RELEASE_VENV)/.installed
IMPORTER_DIR := build/importer

MATRIX_CORE ?= 2.16
# The matrix environment's Python: the Makefile's PYTHON when this ansible-core line
# supports it as a controller, else the newest Python that it supports, found the
# same way (tools/find_python.sh). MATRIX_PYTHON=... overrides it.
MATRIX_PYTHON_RANGE_2.16 := --max 3.12
MATRIX_PYTHON_RANGE_2.17 := --max 3.12
MATRIX_PYTHON_RANGE_2.18 := --max 3.13
MATRIX_PYTHON_RANGE_2.19 := --max 3.13
MATRIX_PYTHON_RANGE_2.20 := --min 3.12 --max 3.14
MATRIX_PYTHON ?= $(shell tools/find_python.sh --prefer '$(PYTHON)' $(MATRIX_PYTHON_RANGE_$(MATRIX_CORE)))
MATRIX_VENV := build/venv-$(MATRIX_CORE)
MATRIX_STAMP := $(MATRIX_VENV)/.installed

.PHONY: docs docs-venv docs-lint docs-check ecosystem changelog-check collection-build galaxy-import ee-context release-check release-venv \
	test-matrix matrix-venv security-matrix

# The docs tools go into the main venv, from their own requirements file: they
# are needed to build and test the docs, never to run the collection.
DOCS_DIR := build/docs
DOCS_STAMP := $(VENV)/.docs-installed
COLLECTION_FQCN := hwcloud.migration

docs-venv: $(DOCS_STAMP)

$(DOCS_STAMP): requirements-docs.txt $(STAMP)
	$(BIN)/python -m pip install -q -r requirements-docs.txt
	touch $@

# antsibull-docs writes the Sphinx project (sphinx-init) and the pages of whatever
# plugins and roles the collection has (collection --use-current, through the
# venv's collections path); tools/docsite/conf_overrides.py adds our settings to
# the generated conf.py. The guides are Markdown (docs/*.md): each takes the place
# of its reStructuredText placeholder from docs/docsite/rst/, with the other files
# of docs/ beside it so that links to them become downloads. Sphinx treats every
# warning as an error, so a guide left out of docs/docsite/extra-docs.yml, a broken
# link or a bad option reference fails the build.
docs: venv docs-venv
	rm -rf $(DOCS_DIR) && mkdir -p $(DOCS_DIR)/rst && chmod go-w $(DOCS_DIR) $(DOCS_DIR)/rst
	$(BIN)/antsibull-docs sphinx-init --use-current --squash-hierarchy --fail-on-error \
	  --project $(COLLECTION_FQCN) --title '$(COLLECTION_FQCN) documentation' --html-short-title $(COLLECTION_FQCN) \
	  --copyright 'hwcloud.migration maintainers' --dest-dir $(DOCS_DIR) $(COLLECTION_FQCN) >/dev/null
	cat tools/docsite/conf_overrides.py >> $(DOCS_DIR)/conf.py
	$(BIN)/antsibull-docs --config-file $(DOCS_DIR)/antsibull-docs.cfg collection --use-current --squash-hierarchy \
	  --fail-on-error --cleanup everything --dest-dir $(DOCS_DIR)/rst $(COLLECTION_FQCN)
	@for placeholder in docs/docsite/rst/*.rst; do name=$$(basename "$$placeholder" .rst); \
	  test -f "docs/$$name.md" || { echo "docs: $$placeholder has no docs/$$name.md to render"; exit 1; }; \
	  rm "$(DOCS_DIR)/rst/docsite/$$name.rst"; done
	find docs -maxdepth 1 -type f -exec cp {} $(DOCS_DIR)/rst/docsite/ \;
	@# Each guide keeps its placeholder's label, so plugin docs can refer to it (seealso ref).
	@for placeholder in docs/docsite/rst/*.rst; do name=$$(basename "$$placeholder" .rst); \
	  label=$$(sed -n '1s/^\.\. _\(.*\):$$/\1/p' "$$placeholder"); \
	  { test -z "$$label" || printf '(%s)=\n' "$$label"; cat "docs/$$name.md"; } > "$(DOCS_DIR)/rst/docsite/$$name.md"; done
	@# Files elsewhere in the checkout that a guide links to (../execution-environment.yml)
	@# become downloads too; links to plugins and roles go to their pages (conf_overrides.py).
	@grep -ohE '\]\(\.\./[^)# ]+' docs/*.md | sed 's/^](\.\.\///' | sort -u | grep -vE '^(plugins|roles)/' | \
	  while read -r linked; do test -f "$$linked" || continue; \
	    mkdir -p "$(DOCS_DIR)/rst/$$(dirname "$$linked")" && cp "$$linked" "$(DOCS_DIR)/rst/$$linked"; done
	$(BIN)/sphinx-build -q -b html -c $(DOCS_DIR) -d $(DOCS_DIR)/doctrees -W --keep-going $(DOCS_DIR)/rst $(DOCS_DIR)/html
	@echo "docs: $(DOCS_DIR)/html/index.html"

# The Ansible community's checks of plugin docs (markup, option and return value
# references, schema) and of docs/docsite (extra-docs.yml, links.yml, the RST).
docs-lint: venv docs-venv
	$(BIN)/antsibull-docs lint-collection-docs --plugin-docs .

# tests/ecosystem/test_docsite.py checks the site `docs` just built.
docs-check: docs-lint docs
	$(BIN)/python -m pytest -q tests/ecosystem/test_docsite.py

release-venv: $(RELEASE_STAMP)

$(RELEASE_STAMP): tests/ecosystem/requirements-release.txt | which-python
	test -x $(RELEASE_VENV)/bin/python || $(PYTHON) -m venv $(RELEASE_VENV)
	$(RELEASE_VENV)/bin/python -m pip install -q --upgrade pip
	$(RELEASE_VENV)/bin/python -m pip install -q -r tests/ecosystem/requirements-release.txt
	touch $@

# tests/ecosystem finds ansible-builder in $(RELEASE_VENV) and the docsite in $(DOCS_DIR).
ecosystem: venv release-venv docs
	$(BIN)/python -m pytest -q tests/ecosystem

changelog-check: venv
	$(BIN)/antsibull-changelog lint
	@if [ -f changelogs/changelog.yaml ]; then $(BIN)/antsibull-changelog lint-changelog-yaml changelogs/changelog.yaml; fi

collection-build: venv
	mkdir -p $(DIST) $(EE_DIR)
	$(BIN)/ansible-galaxy collection build --force --output-path $(DIST) .
	cp $(TARBALL) $(EE_TARBALL)

# galaxy-importer exits 0 even when a step reports an error (ansible-doc failing
# on a plugin, for one): fail on its ERROR lines ourselves. Its output is kept in
# $(IMPORTER_DIR)/galaxy-importer.log, its result in importer_result.json there;
# HOME is redirected there too, so its ansible-lint run leaves ~/.ansible alone.
galaxy-import: collection-build release-venv
	rm -rf $(IMPORTER_DIR) && mkdir -p $(IMPORTER_DIR)/home
	cd $(IMPORTER_DIR) && set -o pipefail && env -u ANSIBLE_COLLECTIONS_PATH HOME="$(abspath $(IMPORTER_DIR))/home" \
	  PATH="$(abspath $(RELEASE_VENV))/bin:$$PATH" GALAXY_IMPORTER_CONFIG="$(abspath tests/ecosystem/galaxy-importer.cfg)" \
	  $(abspath $(RELEASE_VENV))/bin/python -m galaxy_importer.main $(abspath $(TARBALL)) 2>&1 | tee galaxy-importer.log
	@if grep -q '^ERROR' $(IMPORTER_DIR)/galaxy-importer.log; then \
	  echo "galaxy-import: galaxy-importer reported errors (above)"; exit 1; fi

ee-context: collection-build release-venv
	rm -rf $(EE_CONTEXT)
	$(RELEASE_VENV)/bin/ansible-builder create -f execution-environment.yml -c $(EE_CONTEXT) \
	  --output-filename Containerfile
	@echo "EE build context in $(EE_CONTEXT); build it with: podman build -t hwcloud-migration-ee $(EE_CONTEXT)"

release-check: changelog-check galaxy-import ee-context ecosystem emulator-release-check

# A prerequisite line of its own, so the list above stays as it is.
release-check: docs-check

# A second virtual environment with another ansible-core, on MATRIX_PYTHON (the
# main one's Python unless that ansible-core cannot run on it: 2.16 supports
# controllers on Python 3.10 to 3.12). ansible-lint is left out: it pins its own
# ansible-core and `make lint` already runs on the main venv.
matrix-venv: $(MATRIX_STAMP) $(COLLECTION_LINK)

$(MATRIX_STAMP): requirements.txt requirements-test.txt emulator/pyproject.toml | which-python
	test -x $(MATRIX_VENV)/bin/python || { python='$(MATRIX_PYTHON)'; \
	  "$${python:?no Python that ansible-core $(MATRIX_CORE) supports (see above); set MATRIX_PYTHON=/path/to/python3}" -m venv $(MATRIX_VENV); }
	$(MATRIX_VENV)/bin/python -m pip install -q --upgrade pip
	grep -v '^ansible-lint' requirements-test.txt > $(MATRIX_VENV)/requirements-test.txt
	cp requirements.txt $(MATRIX_VENV)/requirements.txt
	$(MATRIX_VENV)/bin/python -m pip install -q -r $(MATRIX_VENV)/requirements-test.txt 'ansible-core~=$(MATRIX_CORE).0'
	$(MATRIX_VENV)/bin/python -m pip install -q -e emulator
	touch $@

# Every step runs even when an earlier one fails; the summary lists each result.
test-matrix: matrix-venv chromium
	@$(MATRIX_VENV)/bin/ansible --version | head -1
	@export PATH="$(abspath $(MATRIX_VENV))/bin:$$PATH"; failed=""; \
	SANITY_VENV="$(abspath $(MATRIX_VENV))" SANITY_TREE="$(abspath build/sanity-$(MATRIX_CORE))" tools/sanity.sh \
	  || failed="$$failed sanity"; \
	$(MATRIX_VENV)/bin/python -m pytest -q tests/unit || failed="$$failed units"; \
	$(MATRIX_VENV)/bin/python -m pytest -q tests/integration || failed="$$failed integration"; \
	if [ -n "$$failed" ]; then echo "test-matrix (ansible-core $(MATRIX_CORE)): FAILED:$$failed"; exit 1; fi; \
	echo "test-matrix (ansible-core $(MATRIX_CORE)): sanity, units and integration passed"

# The security tests (marker `security`: nothing from an API or an inventory is
# templated, no secret in any output) on the oldest supported ansible-core, which
# trusts every string it is not told is unsafe; the newest is the main venv's,
# covered by `make units` and `make integration`. A part of `make test`.
security-matrix: matrix-venv
	@$(MATRIX_VENV)/bin/ansible --version | sed -n 1p
	PATH="$(abspath $(MATRIX_VENV))/bin:$$PATH" $(MATRIX_VENV)/bin/python -m pytest -q -m security tests/unit
	PATH="$(abspath $(MATRIX_VENV))/bin:$$PATH" $(MATRIX_VENV)/bin/python -m pytest -q -m security tests/integration
