# `make demo` and `make test` each bootstrap .venv on a fresh machine: nothing is installed by hand.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PLUGINS := sqlite postgresql mysql mssql oracle
STAMP := $(VENV)/.installed
PROJECT_FILES := requirements-dev.txt core/pyproject.toml $(foreach p,$(PLUGINS),plugins/$(p)/pyproject.toml)

.PHONY: demo test lint typecheck pytest services bench clean

$(STAMP): $(PROJECT_FILES)
	@bash scripts/system-deps
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt \
		-e core $(foreach p,$(PLUGINS),-e plugins/$(p))
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/sqlwright demo

test: $(STAMP) lint typecheck services pytest

lint: $(STAMP)
	$(BIN)/ruff check .

typecheck: $(STAMP)
	$(BIN)/mypy

services:
	@bash scripts/ensure-services

# One run: core tests, each plugin's own tests and the conformance suite on sqlite, postgresql and
# mysql (each plugins/<name>/tests/conftest.py names its database; an unreachable server fails).
# The core tests' engine fixtures run on all three backends, whatever SQLWRIGHT_TEST_BACKENDS says.
pytest: $(STAMP)
	SQLWRIGHT_TEST_BACKENDS=sqlite,postgresql,mysql $(BIN)/python -m pytest -q

bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -r benchmarks/requirements.txt
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV)
