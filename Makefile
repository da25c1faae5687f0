# The two quickstart commands are `make demo` and `make test`; everything else is a helper.
PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup system-deps demo test lint unit integration bench quality bench-pipeline clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

## System packages the suites need (JDK, Maven, OpenSSL, Prometheus, Docker, debootstrap): installed
## with apt-get when run as root, else one line naming them.
system-deps:
	@bash .ci/system-deps

## Local Kafka + worker + the sample articles in, enriched records out.
demo: setup
	$(BIN)/streamproc demo

## Everything CI runs: lint, types, unit, integration and end-to-end tests on a real broker, the
## SASL_SSL broker and the compose stack in Docker. Skipped tests are listed with their reason (-rs).
test: system-deps setup
	$(BIN)/ruff check streamproc tests benchmarks
	$(BIN)/ruff format --check streamproc tests benchmarks
	$(BIN)/mypy
	$(BIN)/pytest -q -rs

lint: setup
	$(BIN)/ruff check streamproc tests benchmarks
	$(BIN)/mypy

unit: setup
	$(BIN)/pytest -q tests/unit

integration: system-deps setup
	$(BIN)/pytest -q -rs -m "integration or e2e"

# Every benchmark script is benchmarks/bench_*.py (cost) or benchmarks/quality_*.py (quality);
# streamproc/bench is only the library of the shipped `streamproc bench` command.
bench: setup
	for script in benchmarks/bench_*.py; do $(BIN)/python $$script || exit 1; done

quality: setup
	for script in benchmarks/quality_*.py; do $(BIN)/python $$script || exit 1; done

bench-pipeline: setup
	$(BIN)/streamproc bench

clean:
	-$(BIN)/streamproc broker stop
	rm -rf .streamproc
