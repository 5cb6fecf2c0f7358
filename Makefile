# allennlp-bioelmo: `make demo` and `make test` install what they need first.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.bioelmo-installed
ALLENNLP_NO_DEPS := allennlp==2.10.1 fairscale==0.4.13

.PHONY: install demo test lint format fixtures benchmark clean

install: $(STAMP)

# Re-runs only when the pinned set or the package metadata changed.
$(STAMP): requirements.txt setup.py
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps $(ALLENNLP_NO_DEPS)
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

demo: install
	PATH="$(abspath $(BIN)):$$PATH" bash scripts/demo.sh

test: install lint
	$(BIN)/python -m pytest -q tests

# Style: black (line length 100, pyproject.toml) and flake8 (.flake8). `make format` applies black.
LINTED := allennlp_bioelmo tests benchmarks scripts setup.py

lint: install
	$(BIN)/python -m black --check --quiet $(LINTED)
	$(BIN)/python -m flake8 $(LINTED)

format: install
	$(BIN)/python -m black --quiet $(LINTED)

# Regenerates the bundled random biLM (options, weights, vocabulary) in bilm-tf's formats.
fixtures: install
	$(BIN)/python -m allennlp_bioelmo.testing.bilm_fixtures fixtures/bilm --size small

benchmark: install
	$(BIN)/python benchmarks/bilm_throughput.py

clean:
	rm -rf $(VENV) .pytest_cache demo_output
