# The two commands: `make run` (set up, migrate, seed the demo, serve on 127.0.0.1:8000)
# and `make test` (set up and run the whole suite). Both create .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# pytest-xdist workers: one per core (each gets its own test database). Tests marked `alone` restart
# PostgreSQL, which would cut the other workers' connections, so they run afterwards, by themselves.
WORKERS ?= auto

.PHONY: run test setup setup-dev clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit("Perisai needs Python 3.11 or newer") if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

setup: $(VENV)/.installed

setup-dev: $(VENV)/.installed-dev

run: setup
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	# The background jobs' worker (README, "Background jobs") beside the server, stopped with it.
	$(BIN)/python manage.py jobs_worker & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

test: setup-dev
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-cache
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python -m pytest -n $(WORKERS) -m "not alone" $(PYTEST_ARGS)
	$(BIN)/python -m pytest -m alone $(PYTEST_ARGS) || [ $$? -eq 5 ]  # 5: nothing selected

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache
