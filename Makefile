# Everything runs inside .venv, created on first use. No target forces a Qt platform except the
# headless ones (test, bench): `make run` opens a real window on a desktop.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The pure core's tests run with Qt imports blocked (tests/conftest.py, CASELINE_BLOCK_QT).
PURE_TESTS := $(wildcard tests/model tests/io tests/timeline tests/analysis tests/layout tests/docs tests/fuzz)
PYTEST_ARGS ?=

.PHONY: run test lint bench fuzz venv clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	touch $(STAMP)

venv: $(STAMP)

run: $(STAMP)
	$(BIN)/caseline sample_cases/*.caseline.yaml sample_cases/*.caseset.yaml

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy
	$(BIN)/lint-imports

test: lint
	CASELINE_BLOCK_QT=1 $(BIN)/python -m pytest -p no:pytest-qt -W ignore::pytest.PytestConfigWarning \
		$(PYTEST_ARGS) $(PURE_TESTS)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest $(PYTEST_ARGS) $(foreach d,$(PURE_TESTS),--ignore=$(d))

# Structure-aware fuzzing of the readers (tests/fuzz/run.py): FUZZ_INPUTS mutants of the sample files from
# FUZZ_SEED through caseline.load, within FUZZ_BUDGET seconds; findings (and their seed) and the slowest inputs go to build/fuzz-findings/.
FUZZ_INPUTS ?= 100000
FUZZ_SEED ?= 11
FUZZ_BUDGET ?= 3600
fuzz: $(STAMP)
	CASELINE_BLOCK_QT=1 PYTHONPATH=tests $(BIN)/python -m fuzz.run --inputs $(FUZZ_INPUTS) --seed $(FUZZ_SEED) \
		--budget $(FUZZ_BUDGET) --findings build/fuzz-findings

bench: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m benchmarks.run

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info
