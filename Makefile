# Two commands for a fresh machine (Python 3.11+ and make): `make demo` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
DEMO_DATA_DIR ?= $(CURDIR)/var

# The suite runs on every core (pytest-xdist; --dist loadfile keeps each test file on one
# worker, so data a module seeds is built once) and prints its 25 slowest tests so that growth is visible in CI's output.
PYTEST_ARGS ?= -n auto --dist loadfile --durations=25

.PHONY: install demo test lint pytest pytest-sqlite pytest-postgres bench messages clean

$(VENV)/.installed: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

install: $(VENV)/.installed

## demo: install, migrate, seed the demo city, print the logins, serve on http://$(HOST):$(PORT)
demo: install
	YS_DATA_DIR=$(DEMO_DATA_DIR) $(BIN)/yingshang migrate --no-input -v0
	YS_DATA_DIR=$(DEMO_DATA_DIR) $(BIN)/yingshang collectstatic --no-input -v0
	YS_DATA_DIR=$(DEMO_DATA_DIR) $(BIN)/yingshang demo
	YS_DATA_DIR=$(DEMO_DATA_DIR) $(BIN)/yingshang serve --host $(HOST) --port $(PORT)

## test: lint + the whole suite on SQLite, and on PostgreSQL too when YS_TEST_POSTGRES_URL is set
test: install lint pytest-sqlite pytest-postgres

lint: install
	$(BIN)/ruff check src tests

pytest-sqlite: install
	env -u YS_DATABASE_URL $(BIN)/pytest -q $(PYTEST_ARGS)

pytest-postgres: install
	@if [ -n "$$YS_TEST_POSTGRES_URL" ]; then \
		echo "== PostgreSQL: $$YS_TEST_POSTGRES_URL"; \
		YS_DATABASE_URL="$$YS_TEST_POSTGRES_URL" $(BIN)/pytest -q $(PYTEST_ARGS); \
	else echo "== PostgreSQL run skipped: YS_TEST_POSTGRES_URL is not set"; fi

bench: install
	$(BIN)/yingshang bench

## messages: recompile the translation catalogues (needs gettext; the compiled files are committed)
messages: install
	cd src/yingshang && ../../$(BIN)/yingshang compilemessages -v0

clean:
	rm -rf $(VENV) var build *.egg-info src/*.egg-info
