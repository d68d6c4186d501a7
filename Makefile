# `make` sets up everything and runs the main job; `make test` runs the test suite.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: all build test bench soak system clean

all: build

system:
	@bash .ci/system-packages

$(STAMP): pyproject.toml .ci/constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c .ci/constraints.txt -e '.[test]'
	@touch $@

build: system $(STAMP)
	$(BIN)/medloc build

test: system $(STAMP)
	$(BIN)/python -m pytest

# Fault injection: SIGKILL update, draft and publish at many points (MEDLOC_SOAK_KILLS per stage).
soak: system $(STAMP)
	$(BIN)/python -m pytest tests/soak.py -q -s

# The benchmark's peers (translate-toolkit, mdpo) live in their own environment.
PEERS       := bench/.venv-peers
PEERS_STAMP := $(PEERS)/.installed

$(PEERS_STAMP): bench/peers.txt
	$(PYTHON) -m venv $(PEERS)
	$(PEERS)/bin/pip install --quiet --upgrade pip
	$(PEERS)/bin/pip install --quiet -r bench/peers.txt
	@touch $@

bench: system $(STAMP) $(PEERS_STAMP)
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) build .pytest_cache
