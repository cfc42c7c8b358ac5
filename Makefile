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
	@echo "setup: compiling the simulation kernels (numba, cached on disk; about 15 s)"
	@$(BIN)/python -c "from urif.sim.native import compile_kernels; compile_kernels()"
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
# beancount (GPL) in its own environment: bench/ledger.py runs its bean-check as an
# external program to compare with urif verify; urif never imports it.
BENCH_TOOLS := .bench-tools

# The marker is written whether or not the install worked, so a failed install is not
# retried on every run (delete .bench-tools to try again).
$(BENCH_TOOLS)/.installed:
	@test -x $(BENCH_TOOLS)/bin/python || $(PYTHON) -m venv $(BENCH_TOOLS)
	@$(BENCH_TOOLS)/bin/python -m pip install --quiet 'beancount>=3,<4' \
		|| echo "bench: beancount could not be installed; its comparison will be skipped"
	@touch $@

bench: $(STAMP) $(BENCH_TOOLS)/.installed
	@for b in $(BENCHES); do echo "== bench/$$b.py"; $(BIN)/python bench/$$b.py || exit 1; done

clean:
	rm -rf $(VENV) $(BENCH_TOOLS) demo-output urif.db .pytest_cache .mypy_cache .ruff_cache
