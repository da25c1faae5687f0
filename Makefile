# The two quickstart commands are `make demo` and `make test`; everything else is a helper.
PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup demo test lint unit integration bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

## Local Kafka + worker + the sample articles in, enriched records out.
demo: setup
	$(BIN)/streamproc demo

## Everything CI runs: lint, types, unit, integration and end-to-end tests on a real broker.
test: setup
	$(BIN)/ruff check streamproc tests benchmarks
	$(BIN)/ruff format --check streamproc tests benchmarks
	$(BIN)/mypy
	$(BIN)/pytest -q

lint: setup
	$(BIN)/ruff check streamproc tests benchmarks
	$(BIN)/mypy

unit: setup
	$(BIN)/pytest -q tests/unit

integration: setup
	$(BIN)/pytest -q -m "integration or e2e"

bench: setup
	$(BIN)/python benchmarks/bench_parse.py
	$(BIN)/python benchmarks/bench_enrich.py
	$(BIN)/python benchmarks/bench_dedup.py

clean:
	-$(BIN)/streamproc broker stop
	rm -rf .streamproc
