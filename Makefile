# The two commands of the README. Each sets up everything it needs on a fresh machine.
#   make demo   the bundled Li v. Liu analysis on the embedded store
#   make test   every test (installs Java, the OWL API and Virtuoso first)
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test setup system benchmark clean

$(BIN)/rightsgraph: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test,import]'
	touch $@

setup: $(BIN)/rightsgraph

demo: setup
	$(BIN)/rightsgraph demo

system:
	bash scripts/setup-system.sh

test: setup system
	$(BIN)/python -m pytest -q

benchmark: setup
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) .pytest_cache
