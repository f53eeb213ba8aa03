# Reading Room: `make run` serves the app with the seed articles, `make test` runs every test.
PYTHON ?= python3
VENV ?= .venv
PORT ?= 8000
BIN := $(VENV)/bin
# Local development defaults; a real deployment sets its own (README, "Settings").
export DEBUG ?= 1

.PHONY: run test install install-test browser migrate seed clean

$(BIN)/python:
	@$(PYTHON) -c "import ensurepip" 2>/dev/null || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null; \
	  else echo "Python's venv module is missing: run 'sudo apt-get install python3-venv'"; exit 1; fi; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

migrate: install
	$(BIN)/python manage.py migrate --noinput

seed: migrate
	$(BIN)/python manage.py import_documents seeds/
	$(BIN)/python manage.py extract_entities --pending
	$(BIN)/python manage.py extract_quotes --pending
	@# The first admin, from DJANGO_SUPERUSER_USERNAME / _EMAIL / _PASSWORD when they are set.
	@if [ -n "$$DJANGO_SUPERUSER_USERNAME" ]; then \
	  $(BIN)/python manage.py shell -c "from django.contrib.auth import get_user_model as g; import sys; sys.exit(0 if g().objects.filter(username='$$DJANGO_SUPERUSER_USERNAME').exists() else 1)" \
	  || $(BIN)/python manage.py createsuperuser --noinput; fi

run: seed
	@echo "Reading Room is at http://127.0.0.1:$(PORT)/"
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# Browser tests drive Debian's Chromium; install it when it is missing and we may.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "Browser tests need Chromium: run 'sudo apt-get install chromium'"; exit 1; fi; }

test: install-test browser
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) staticfiles

# Performance figures for issue #6 (bench/RESULTS.md); BENCH_ARGS passes options, e.g. --no-doccano.
# Playwright and Chromium give the time-to-first-paint figure; without Chromium it is skipped.
bench: install-test
	@$(MAKE) --no-print-directory browser || echo "No Chromium: the time-to-first-paint figure will be skipped."
	$(BIN)/python bench/run.py $(BENCH_ARGS)
