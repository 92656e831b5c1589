# Two commands do all set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test lint schemas bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

## make test: lint and the full test suite (conformance tests read ../shared/reference/iwmo-3.2 when present)
test: $(STAMP)
	$(BIN)/ruff check iwmo gateway services tests benchmarks
	$(BIN)/python -m pytest

## make run: the suite's services arrive with later issues; for now it shows the message layer at work
run: $(STAMP)
	@echo "The gateway and services are not built yet; the iwmo message layer is ready:"
	$(BIN)/iwmo berichten
	$(BIN)/iwmo sample WMO301 --variant resultaat > /tmp/iwmo-sample-301.xml
	$(BIN)/iwmo validate /tmp/iwmo-sample-301.xml
	@echo "Try: $(BIN)/iwmo --help"

lint: $(STAMP)
	$(BIN)/ruff check iwmo gateway services tests benchmarks

## make schemas: regenerate schemas/iwmo-3.2 from the models and datatypes
schemas: $(STAMP)
	$(BIN)/python -m iwmo.schemagen

bench: $(STAMP)
	$(BIN)/python benchmarks/validate.py

clean:
	rm -rf $(VENV) var .pytest_cache .hypothesis
