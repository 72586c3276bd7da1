# Concord: the two commands are `make run` and `make test` (see README.md).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install install-dev messages extract-messages venv lint typecheck checks pytest pytest-services browsers services demo worker bench clean contract

$(BIN)/activate:
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "Concord needs Python 3.11, found " + sys.version' 
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

venv: $(BIN)/activate

install: venv
	$(PY) -m pip install --quiet -r requirements.txt
	$(PY) scripts/compile_messages.py

install-dev: venv
	$(PY) -m pip install --quiet -r requirements-dev.txt
	$(PY) scripts/compile_messages.py

# The translation catalogues (locale/*/LC_MESSAGES/*.po) compiled to .mo with polib; fails on a fuzzy
# entry or a placeholder mismatch. The .mo files are not committed.
messages:
	$(PY) scripts/compile_messages.py

# Re-extract the marked messages into every catalogue (needs GNU gettext), then compile them.
extract-messages:
	$(PY) -m scripts.extract_messages
	$(PY) scripts/compile_messages.py

## make run: install, migrate, load the demo curriculum and serve on http://127.0.0.1:8000
run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	$(PY) manage.py runserver $(HOST):$(PORT)

demo: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo

## make test: install the dev tools and run every check and the whole suite
test: install-dev lint typecheck checks browsers pytest

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

typecheck:
	$(BIN)/mypy .

checks:
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) manage.py makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=config.settings.production DJANGO_SECRET_KEY=ci-only-$$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n') \
		DJANGO_ALLOWED_HOSTS=concord.example.org $(PY) manage.py check --deploy --fail-level WARNING

browsers:
	@bash scripts/ensure-chromium.sh

# With CI=true the suite runs against the machine's PostgreSQL and Redis (started when down),
# then once more on the embedded SQLite default without the browser tests.
pytest: messages
ifeq ($(CI),true)
	bash scripts/ensure-services.sh
	DATABASE_URL=postgres://postgres@127.0.0.1:5432/test REDIS_URL=redis://127.0.0.1:6379/0 \
		$(BIN)/pytest -n 2 --dist loadgroup --create-db
	$(BIN)/pytest -n 2 --dist loadgroup --create-db -m "not browser and not contract"
else
	$(BIN)/pytest -n 2 --dist loadgroup
endif

# The API contract run alone (it also runs in `make test`): schemathesis, seeded and time-bounded.
contract: install-dev
	$(BIN)/pytest tests/test_api_contract.py -p no:xdist -m contract

worker: install
	$(BIN)/celery -A config.celery_app worker -l info

bench: install-dev
	$(PY) benchmarks/cohort_page.py
	$(PY) benchmarks/roster_commit.py
	$(PY) benchmarks/debrief_report.py
	$(PY) benchmarks/certificates.py
	$(PY) benchmarks/audit_read.py

clean:
	rm -rf $(VENV) staticfiles .test-media db.sqlite3
