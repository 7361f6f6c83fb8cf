# The two commands that matter: `make run` (the app on a fresh machine) and `make test` (everything).
# Both install exactly the versions in the lock files (with their hashes); `make lock` re-compiles them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PIP_INSTALL := $(BIN)/pip install --quiet --require-hashes
AXE := node_modules/axe-core/axe.min.js
CHROMIUM := /usr/bin/chromium
NOTO_CJK := /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc

.PHONY: run test install install-dev migrate messages catalogs lint format bench lock test-tools backup faults

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# psycopg2 builds from source. Without a C compiler or libpq headers, requirements-binary.lock is
# the same lock with psycopg2-binary (the same module, prebuilt). The stamp names the lock used.
$(VENV)/.installed: requirements.lock requirements-binary.lock | $(BIN)/python
	@if $(PIP_INSTALL) -r requirements.lock; then echo requirements.lock > $@; else \
	  echo "psycopg2 did not build here (no C compiler or libpq headers): installing psycopg2-binary instead."; \
	  $(PIP_INSTALL) -r requirements-binary.lock && echo requirements-binary.lock > $@; fi

$(VENV)/.installed-dev: requirements-dev.lock $(VENV)/.installed
	$(PIP_INSTALL) -r $$(grep -s . $(VENV)/.installed || echo requirements.lock) -r requirements-dev.lock
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# After changing requirements.txt or requirements-dev.txt (exact pins of what we import or run).
# Versions already locked stay; LOCK_ARGS="--upgrade-package NAME" moves one on.
UV_COMPILE = $(BIN)/uv pip compile --quiet --universal --python-version 3.11 --generate-hashes \
	--custom-compile-command "make lock" $(LOCK_ARGS)
lock: install-dev
	$(UV_COMPILE) requirements.txt -o requirements.lock
	sed 's/^psycopg2==/psycopg2-binary==/' requirements.txt \
	  | $(UV_COMPILE) - -c requirements.lock -o requirements-binary.lock
	$(UV_COMPILE) requirements-dev.txt -c requirements.lock --no-emit-package psycopg2 -o requirements-dev.lock

# The translations: compiled .mo files from locale/*/LC_MESSAGES/*.po (needs gettext's msgfmt).
messages: install
	@if command -v msgfmt >/dev/null; then $(BIN)/python manage.py compilemessages -v0 --ignore=.venv --ignore=node_modules --ignore=var; \
	  else echo "gettext's msgfmt is missing, so the pages stay in English: apt-get install gettext (or brew install gettext), then make run again."; fi

# After marking strings: adds new messages to locale/{es,hi}/LC_MESSAGES/django.po and djangojs.po,
# keeping every translation already there. Locations name the file only, not the line, so editing
# code does not rewrite the catalogs under the translators. tests/test_translations.py runs it on a copy.
MAKEMESSAGES_IGNORE := --ignore=.venv --ignore=node_modules --ignore=var --ignore=tests --ignore=bench \
	--ignore=benchdata --ignore=scripts --ignore=static/vendor
catalogs: install-dev
	$(BIN)/python manage.py makemessages -l es -l hi --no-obsolete --add-location=file $(MAKEMESSAGES_IGNORE)
	$(BIN)/python manage.py makemessages -d djangojs -l es -l hi --no-obsolete --add-location=file $(MAKEMESSAGES_IGNORE)

migrate: install messages
	mkdir -p var/mail
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py collectstatic --noinput -v0

# PORT=8123 (and HOST=0.0.0.0) to listen elsewhere; email links follow unless SITE_URL is set.
run: migrate
	$(BIN)/python scripts/run.py

# What the browser tests need besides Python: axe-core (npm) and Debian's Chromium (apt-get).
test-tools:
	@mkdir -p var
	@test -f $(AXE) || { echo "Installing axe-core for the accessibility tests (npm ci)."; \
	  npm ci --no-audit --no-fund --silent >var/npm-ci.log 2>&1 || { \
	  echo "make test needs axe-core: npm ci failed (see var/npm-ci.log); install Node.js and npm, then run make test again."; \
	  exit 1; }; }
	@test -x $(CHROMIUM) || { echo "Installing Chromium for the browser tests (apt-get install chromium)."; \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium \
	    && test -x $(CHROMIUM); } >var/apt-get.log 2>&1 || { \
	  echo "make test needs Chromium at $(CHROMIUM) and could not install it (see var/apt-get.log): run 'apt-get install chromium' as root, then make test again."; \
	  exit 1; }; }
	@command -v msgfmt >/dev/null && command -v xgettext >/dev/null || { \
	  echo "Installing gettext for the translation checks (apt-get install gettext)."; \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext \
	    && command -v msgfmt; } >var/apt-get-gettext.log 2>&1 || { \
	  echo "make test needs gettext (msgfmt, xgettext) and could not install it (see var/apt-get-gettext.log): run 'apt-get install gettext' as root, then make test again."; \
	  exit 1; }; }
	@test -f $(NOTO_CJK) && command -v pdftotext >/dev/null || { \
	  echo "Installing Noto fonts and pdftotext for the crisis plan PDF tests (apt-get)."; \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
	    fonts-noto-core fonts-noto-cjk poppler-utils && test -f $(NOTO_CJK); } >var/apt-get-fonts.log 2>&1 || { \
	  echo "make test needs Debian's fonts-noto-core, fonts-noto-cjk and poppler-utils and could not install them (see var/apt-get-fonts.log): run 'apt-get install fonts-noto-core fonts-noto-cjk poppler-utils' as root, then make test again."; \
	  exit 1; }; }

test: export DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/supportnet
test: export REDIS_URL ?= redis://127.0.0.1:6379/1
test: install-dev test-tools
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python manage.py collectstatic --noinput -v0
	$(BIN)/python manage.py compilemessages -v0 --ignore=.venv --ignore=node_modules --ignore=var
	$(BIN)/lint-imports
	$(BIN)/pytest $(PYTEST_ARGS)

lint: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# A consistent pg_dump of DATABASE_URL under var/backups/ (see README, Operations).
backup: install
	$(BIN)/python scripts/backup.py backup

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
