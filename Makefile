# Debrief task runner. `make run` serves the journal; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: run demo test lint format bench lock clean-venv

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Stamps: reinstall only when a lock file changes.
$(VENV)/.base-installed: requirements/base.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements/base.txt
	touch $@

$(VENV)/.dev-installed: requirements/base.txt requirements/dev.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements/base.txt -r requirements/dev.txt
	touch $(VENV)/.base-installed $@

run: $(VENV)/.base-installed
	$(BIN)/python manage.py migrate --noinput
ifdef DEMO
	$(BIN)/python manage.py demo
endif
	$(BIN)/python manage.py serve --port $(PORT)

# A separate, throw-away practice unless DEBRIEF_DATA_DIR says otherwise.
demo:
	DEBRIEF_DATA_DIR=$${DEBRIEF_DATA_DIR:-$$HOME/.local/share/debrief-demo} $(MAKE) run DEMO=1

test: $(VENV)/.dev-installed
	DEBRIEF_DATA_DIR=$$(mktemp -d) DEBRIEF_SECRET_KEY=test-only-secret $(BIN)/pytest $(PYTEST_ARGS)

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DEBRIEF_DATA_DIR=$$(mktemp -d) $(BIN)/mypy

format: $(VENV)/.dev-installed
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Over HTTP against `manage.py serve` in a throw-away installation (bench/served.py), then the
# scenarios listed in bench/scenarios.py. Sizes and runs: BENCH_ARGS="--help" lists them.
bench: $(VENV)/.dev-installed
	$(BIN)/python -m bench.run $(BENCH_ARGS)

# Re-lock exact versions after editing requirements/*.in.
lock:
	$(PYTHON) -m venv /tmp/debrief-piptools && /tmp/debrief-piptools/bin/pip install --quiet pip-tools
	cd requirements && /tmp/debrief-piptools/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras base.in -o base.txt
	cd requirements && /tmp/debrief-piptools/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras dev.in -o dev.txt

clean-venv:
	rm -rf $(VENV)
