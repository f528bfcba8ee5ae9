# The verbs a newcomer needs: demo, test, lint, bench.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: demo test test-fast coverage lint bench venv lock clean serve-prod messages

venv: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml requirements/dev.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements/dev.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@touch $@

demo: venv
	$(BIN)/readmit manage migrate --noinput
	$(BIN)/readmit demo
	@echo "Serving Readmit on http://$(HOST):$(PORT)/ (Ctrl-C to stop)"
	$(BIN)/readmit manage runserver --noreload $(HOST):$(PORT)

# Production serving (docs/operations.md "Deploy"): gunicorn with READMIT_WEB_WORKERS workers
# (default 2 per core + 1) and READMIT_TASK_WORKERS background workers (default 2), each a
# process of its own. Needs the production environment (READMIT_SECRET_KEY, DATABASE_URL ...).
serve-prod: venv
	$(BIN)/readmit manage migrate --noinput
	$(BIN)/readmit manage collectstatic --noinput
	$(BIN)/readmit serve --bind $(HOST):$(PORT) --task-workers $${READMIT_TASK_WORKERS:-2}

# The suite runs in parallel: one pytest-xdist worker per core (pytest-django gives each worker
# its own test database); PYTEST_WORKERS=0 runs it in one process. docs/operations.md "Tests".
PYTEST_WORKERS ?= $(shell nproc 2>/dev/null || echo 2)

test: venv
	$(BIN)/pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

# Without the browser tests and those marked slow (servers, subprocesses, schemathesis, the
# demo, benchmark smoke runs; the list is in tests/conftest.py). Times: docs/operations.md.
test-fast: venv
	$(BIN)/pytest -n $(PYTEST_WORKERS) -m "not browser and not slow" $(PYTEST_ARGS)

# The test-fast set with coverage of readmit/; fails under the floor ([tool.coverage.report]).
coverage: venv
	$(BIN)/pytest -n $(PYTEST_WORKERS) -m "not browser and not slow" --cov --cov-report=term \
		$(PYTEST_ARGS)

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy readmit config
	$(BIN)/lint-imports --no-cache

bench: venv
	$(BIN)/python -m bench

# Interface catalogues (docs/adr/0017-interface-languages.md; our makemessages also reads N_,
# docs/adr/0027-translated-refusals.md, docs/user-guide.md "Languages and
# time zones"): extract every marked string into the Latin catalogues, write the Cyrillic ones
# from them, compile all. Needs GNU gettext (apt-get install gettext). The compiled .mo files
# are committed, so a fresh clone and CI need no gettext.
LATIN_LOCALES := -l cnr -l sq -l sr_Latn -l it
messages: venv
	$(BIN)/python manage.py makemessages $(LATIN_LOCALES) --no-location --no-obsolete \
		--ignore "tests/*" --ignore "bench/*" --ignore "docs/*" --ignore "var/*"
	$(BIN)/python -m readmit.web.i18n.catalogues django
	$(BIN)/python -m readmit.web.i18n.catalogues cyrillic
	$(BIN)/python manage.py compilemessages --ignore ".venv"
	$(BIN)/python -m readmit.web.i18n.catalogues untranslated

# Re-pin dependencies after editing pyproject.toml (needs network access to PyPI).
lock: venv
	$(BIN)/python -m pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --python-version 3.11 -o requirements/base.lock
	$(BIN)/uv pip compile pyproject.toml --extra dev --python-version 3.11 -o requirements/dev.lock

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache build *.egg-info
