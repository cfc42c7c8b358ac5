# urif: every target sets itself up from a fresh clone.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
EXTRAS ?= dev,dask,ray

.PHONY: demo test lint typecheck layers pytest bench setup clean docs

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[$(EXTRAS)]"
	@bash scripts/setup-system.sh
	@touch $(STAMP)

setup: $(STAMP)

demo: $(STAMP)
	$(BIN)/urif demo --out demo-output

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: $(STAMP)
	$(BIN)/mypy --strict src

layers: $(STAMP)
	$(BIN)/lint-imports

pytest: $(STAMP)
	$(BIN)/pytest -n 2 --dist loadgroup -q

test: lint typecheck layers pytest

docs: $(STAMP)
	$(BIN)/python -m urif.terms.docs > docs/terms.md

BENCHES := ledger screening sim api api_pages

bench: $(STAMP)
	@for b in $(BENCHES); do echo "== bench/$$b.py"; $(BIN)/python bench/$$b.py || exit 1; done

clean:
	rm -rf $(VENV) demo-output urif.db .pytest_cache .mypy_cache .ruff_cache
