# The two commands that matter: `make run` and `make test`. Everything installs into .venv.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install install-dev migrate fixtures reload-content messages makemessages screenshots check bench bench-reports clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

messages: install
	$(BIN)/python manage.py compile_translations

# Developers: collect new translatable text into the .po files (needs GNU gettext), then translate.
makemessages: install
	$(BIN)/python manage.py makemessages -l de -l en --no-obsolete \
		--ignore=.venv --ignore=staticfiles --ignore=bench --ignore=tests

# Every page at phone and desktop width, checked with axe-core: test-artifacts/screenshots/.
screenshots: install-dev messages
	$(BIN)/python -m pytest tests/e2e/test_accessibility.py -q

# The database cache table is created by a migration (quizzes/migrations/0006_database_cache_table.py).
migrate: install
	$(BIN)/python manage.py migrate --noinput

# Loads only the shipped quizzes, sources and topics the database lacks: editors' changes survive.
fixtures: migrate
	$(BIN)/python manage.py load_content

# Restores shipped content over editors' changes: lists what it overwrites and asks first.
reload-content: migrate
	$(BIN)/python manage.py load_content --overwrite

run: messages fixtures
	$(BIN)/python manage.py ensure_demo_editor
	@echo "Serving http://$(HOST):$(PORT)/  (admin: http://$(HOST):$(PORT)/admin/)"
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

test: install-dev messages
	$(BIN)/python -m pytest $(PYTEST_ARGS)

check: install-dev
	$(BIN)/python manage.py check
	$(BIN)/python manage.py makemigrations --check --dry-run

bench: install-dev messages
	$(BIN)/python bench/run.py

bench-reports: install-dev messages
	$(BIN)/python bench/run.py --reports --output bench/results/reports.json

clean:
	rm -rf $(VENV) staticfiles .test-db.sqlite3* .pytest_cache
