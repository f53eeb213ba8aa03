# Reading Room: `make run` serves the app with the seed articles, `make test` runs every test.
PYTHON ?= python3
VENV ?= .venv
PORT ?= 8000
BIN := $(VENV)/bin
# Local development settings live in .env (written once below, git-ignored), so that every
# command in the README works in a new shell; a real deployment sets its own (README, "Settings").
ENV_FILE := .env

.PHONY: run test test-fast lint lock install install-test browser migrate seed clean bench-import eval

$(BIN)/python:
	@$(PYTHON) -c "import ensurepip" 2>/dev/null || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null; \
	  else echo "Python's venv module is missing: run 'sudo apt-get install python3-venv'"; exit 1; fi; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# DEBUG on and a secret key made for this checkout alone; never overwritten once written.
$(ENV_FILE):
	@$(PYTHON) -c "import secrets; print('DEBUG=1'); print('SECRET_KEY=' + secrets.token_urlsafe(50))" > $@.partial && mv $@.partial $@
	@echo "Wrote $@ (DEBUG=1 and a new SECRET_KEY) for local development"

# Dependencies from the lock files (exact versions, hashes checked), then Reading Room itself.
$(VENV)/.installed: requirements.lock pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

$(VENV)/.installed-test: requirements-test.lock pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements-test.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@ $(VENV)/.installed

# After changing the dependencies in pyproject.toml: pin them again (uv's resolver, with hashes).
lock: | $(BIN)/python
	$(BIN)/python -m pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --python-version 3.11 --generate-hashes --custom-compile-command "make lock" --quiet -o requirements.lock
	$(BIN)/uv pip compile pyproject.toml --extra test --python-version 3.11 --generate-hashes --custom-compile-command "make lock" --quiet -o requirements-test.lock

install: $(VENV)/.installed $(ENV_FILE)

install-test: $(VENV)/.installed-test $(ENV_FILE)

migrate: install
	$(BIN)/python manage.py migrate --noinput

# The seeds come with their curator's decisions (curation/seeds.json: the entities the model gets
# wrong in them); a library of other articles starts without them.
seed: migrate
	$(BIN)/python manage.py load_entities curation/seeds.json -v0
	$(BIN)/python manage.py import_documents seeds/
	$(BIN)/python manage.py extract_entities --pending
	$(BIN)/python manage.py extract_quotes --pending
	@# The first admin, from DJANGO_SUPERUSER_USERNAME / _EMAIL / _PASSWORD when they are set.
	@if [ -n "$$DJANGO_SUPERUSER_USERNAME" ]; then \
	  $(BIN)/python manage.py shell -c "import os, sys; from django.contrib.auth import get_user_model as g; sys.exit(0 if g().objects.filter(username=os.environ['DJANGO_SUPERUSER_USERNAME']).exists() else 1)" \
	  || $(BIN)/python manage.py createsuperuser --noinput; fi

# The server, and beside it a background worker for imports (uploads in the admin, the import
# command's --background): it stops with the server. Jobs a killed worker left are queued again.
run: seed
	$(BIN)/python manage.py resume_imports -v0
	@echo "Reading Room is at http://127.0.0.1:$(PORT)/"
	@trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py db_worker --no-reload --verbosity 0 & worker=$$!; \
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# Browser tests drive Debian's Chromium; install it when it is missing and we may.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "Browser tests need Chromium: run 'sudo apt-get install chromium'"; exit 1; fi; }

# Every core: pytest-xdist hands out tests one by one to a worker per core, each with its own
# test database. The tests that start processes of their own are handed out first (tests/conftest.py).
test: install-test browser
	$(BIN)/python -m pytest -n auto --dist load

# The inner loop: everything but the browser and the multi-process tests.
test-fast: install-test
	$(BIN)/python -m pytest -n auto --dist load -m "not browser and not slow"

# What CI checks before the tests: formatting and lint, the layers, types, migrations that match the models, and
# the deployment checks with production settings (a throw-away key, never stored).
lint: install-test
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/mypy
	$(BIN)/python manage.py makemigrations --check --dry-run
	DEBUG=0 ALLOWED_HOSTS=reading.example.org SECRET_KEY="$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))')" \
	  $(BIN)/python manage.py check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) staticfiles

# Performance figures for issue #6 (bench/RESULTS.md); BENCH_ARGS passes options, e.g. --no-doccano.
# Playwright and Chromium give the time-to-first-paint figure; without Chromium it is skipped.
bench: install-test
	@$(MAKE) --no-print-directory browser || echo "No Chromium: the time-to-first-paint figure will be skipped."
	$(BIN)/python bench/run.py $(BENCH_ARGS)

# Import throughput, the cost of one import as the library grows, and the shared-passage and quote
# indexes against comparing every pair (bench/ingest.py, issue #15). The issue's full figures:
# make bench-import BENCH_IMPORT_ARGS="--sizes 100,1000,10000 --check-passages 300" (about 90 minutes).
BENCH_IMPORT_ARGS ?= --sizes 100,1000 --check-passages 300
bench-import: install
	$(BIN)/python bench/ingest.py $(BENCH_IMPORT_ARGS)

# The pipeline scored stage by stage against the seeds' keys (tests/seeds-key/) and the development
# corpus's (tests/corpus/), each set on its own: precision, recall and F1 of furniture removal,
# metadata, entities, identity, quotes, shared passages, and the time each stage took
# (bench/eval.py; figures in bench/EVAL.md). EVAL_ARGS="--only seeds" (or corpus) scores one set.
EVAL_ARGS ?=
eval: install
	$(BIN)/python bench/eval.py $(EVAL_ARGS)
