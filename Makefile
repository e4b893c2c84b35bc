# The whole set-up is `make render` and `make test`: each target bootstraps what it needs.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
CHECKOV_VENV := .venv-checkov
RUNTIME := $(VENV)/.runtime-installed
TESTDEPS := $(VENV)/.test-installed
CHECKOV := $(CHECKOV_VENV)/bin/checkov
ROOT ?= .

.PHONY: render check validate test clean-venv

$(RUNTIME): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e .
	touch $@

$(TESTDEPS): $(RUNTIME) pyproject.toml
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $@

$(CHECKOV):
	$(PYTHON) -m venv $(CHECKOV_VENV)
	$(CHECKOV_VENV)/bin/python -m pip install --quiet --disable-pip-version-check 'checkov==3.3.30'

render: $(RUNTIME)
	$(PY) -m generator render --root $(ROOT)

check: $(RUNTIME)
	$(PY) -m generator render --check --root $(ROOT)

validate: $(RUNTIME)
	$(PY) -m generator validate --root $(ROOT)

# the generator's own tests (fixture specs under tests/), then the repository checks on every spec root
test: $(TESTDEPS) $(CHECKOV)
	$(PY) -m pytest
	$(PY) -m generator test

clean-venv:
	rm -rf $(VENV) $(CHECKOV_VENV)
