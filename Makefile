# The two commands that matter: `make run` (the app on a fresh machine) and `make test` (everything).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test install install-dev migrate lint format bench faults

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# psycopg2 builds from source; without a compiler or libpq headers, use psycopg2-binary (same module).
$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt || { \
	  echo "psycopg2 did not build here; installing psycopg2-binary instead."; \
	  sed 's/^psycopg2==/psycopg2-binary==/' requirements.txt > $(VENV)/requirements-binary.txt; \
	  $(BIN)/pip install --quiet -r $(VENV)/requirements-binary.txt; }
	touch $@

$(VENV)/.installed-dev: requirements-dev.txt $(VENV)/.installed
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

migrate: install
	mkdir -p var/mail
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py collectstatic --noinput -v0

run: migrate
	$(BIN)/python scripts/run.py

test: export DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/supportnet
test: export REDIS_URL ?= redis://127.0.0.1:6379/1
test: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python manage.py collectstatic --noinput -v0
	$(BIN)/pytest $(PYTEST_ARGS)

lint: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Benchmarks, not tests: seeds a separate database and prints one table (see bench/run.py).
# BENCH_SCALE=small for a quick look. The page benchmarks drive gunicorn with wrk, installed here
# from Debian's packages when it is missing and apt-get can (elsewhere: install wrk yourself).
BENCH_SCALE ?= full
bench: export DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/supportnet_bench
bench: export REDIS_URL ?= redis://127.0.0.1:6379/2
bench: install-dev
	command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; } || true
	$(BIN)/python bench/run.py --scale $(BENCH_SCALE) $(BENCH_ARGS)

# Reminders under faults, from outside: real workers and beat, workers killed (also inside the SMTP
# transaction), Redis flushed, SMTP down; prints scenario, expected, delivered, duplicates, lost,
# recovery time. Its own database (DATABASE_URL's name + _faults); flushes only REDIS_URL's database.
faults: export DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/supportnet
faults: export REDIS_URL ?= redis://127.0.0.1:6379/2
faults: install-dev
	$(BIN)/python bench/faults.py
