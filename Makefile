# `make` sets up everything and runs the main job; `make test` runs the test suite.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: all build test bench system clean

all: build

system:
	@bash .ci/system-packages

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	@touch $@

build: system $(STAMP)
	$(BIN)/medloc build

test: system $(STAMP)
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) build .pytest_cache
