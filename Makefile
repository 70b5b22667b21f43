# The README's commands. `make demo` and `make test` work on a fresh machine.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# The OpenAPI schema does not depend on the database (core.api.schema strips the backend's
# integer ranges), so it is generated with whatever DATABASE_URL is set; no connection is made.
SPECTACULAR := DEBUG=1 $(PY) manage.py spectacular --lang en --validate --fail-on-warn

.PHONY: demo serve test test-clock lint format schema schema-check migrations-check bench syslibs install clean

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $@

install: $(VENV)/.installed

# System libraries weasyprint needs (pango, harfbuzz incl. subsetting, fonts).
syslibs:
	@bin/ensure-syslibs

demo: install syslibs
	DEBUG=1 $(PY) manage.py migrate --noinput
	DEBUG=1 $(PY) manage.py load_reference
	DEBUG=1 $(PY) manage.py seed_demo
	DEBUG=1 PORT=$(PORT) bin/run-demo

# Production-like on one machine (docs/deploy.md): nginx -> gunicorn (WEB_WORKERS) and two
# qcluster processes, DEBUG off, PostgreSQL and Redis on 127.0.0.1 (DATABASE_URL, REDIS_URL).
serve: install syslibs
	PY=$(PY) bin/run-serve

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

migrations-check: install
	DEBUG=1 $(PY) manage.py makemigrations --check --dry-run

schema: install
	$(SPECTACULAR) --file docs/openapi.yaml

schema-check: install
	$(SPECTACULAR) --file .openapi-current.yaml
	@diff -u docs/openapi.yaml .openapi-current.yaml > /dev/null || { \
	  echo "docs/openapi.yaml is out of date: run 'make schema' and commit it."; \
	  diff -u docs/openapi.yaml .openapi-current.yaml | head -40; rm -f .openapi-current.yaml; exit 1; }
	@rm -f .openapi-current.yaml

test: install syslibs lint migrations-check schema-check
	$(VENV)/bin/pytest -n 2 $(PYTEST_ARGS)

# The suite once more with every test starting just after and just before midnight
# (Amsterdam time; the clock ticks on): nothing may depend on the time of day it runs.
test-clock: install syslibs
	BMIP_TEST_CLOCK=00:30 $(VENV)/bin/pytest -n 2 -q $(PYTEST_ARGS)
	BMIP_TEST_CLOCK=23:59 $(VENV)/bin/pytest -n 2 -q $(PYTEST_ARGS)

bench: install syslibs
	@for script in bench/*.py; do \
	  case $$script in */_*) continue;; esac; \
	  echo "== $$script"; $(PY) $$script || exit 1; \
	done

clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-* .test-db* staticfiles
