# Two commands do all set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# what the suite needs to run: the library and, with the extra 'services', the hub and the services;
# the test tools (pytest, hypothesis, ruff, mypy and stubs, playwright) come on top for make test
RUN_STAMP := $(VENV)/.installed-run

.PHONY: run demo test lint schemas bench clean

$(RUN_STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[services]'
	touch $(RUN_STAMP)

$(STAMP): $(RUN_STAMP)
	$(BIN)/pip install --quiet -e '.[services,test]'
	touch $(STAMP)

## make test: lint (ruff, mypy) and the full test suite (conformance tests read ../shared/reference/iwmo-3.2 when present)
test: $(STAMP)
	$(BIN)/ruff check iwmo infra gateway services tests benchmarks
	$(BIN)/mypy
	$(BIN)/python -m pytest

## make run: the whole chain on SQLite, each part its own process (hub 8000, toewijzing 8001, plan 8002, stand-in 8010);
## Ctrl-C stops it. In a second terminal: make demo
run: $(RUN_STAMP)
	$(BIN)/iwmo suite

## make demo: replay the scenarios against the running chain (make run); ends with "N passed, M failed"
demo: $(RUN_STAMP)
	$(BIN)/iwmo scenario run scenarios/*.yaml

lint: $(STAMP)
	$(BIN)/ruff check iwmo infra gateway services tests benchmarks
	$(BIN)/mypy

## make schemas: regenerate schemas/iwmo-3.2 from the models and datatypes
schemas: $(STAMP)
	$(BIN)/python -m iwmo.schemagen

bench: $(STAMP)
	$(BIN)/python benchmarks/validate.py

## make clean: remove the virtualenv (.venv), the databases and tokens of make run (var/) and the caches;
## the next make run or make test installs everything again
clean:
	@echo "removing .venv (the virtualenv), var/ (make run's databases and tokens) and the test caches"
	rm -rf $(VENV) var .pytest_cache .hypothesis
