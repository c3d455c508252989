# TKPK — the two commands a newcomer needs are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1:8000

# Front-end packages vendored into static/vendor (no CDN on a closed network).
BOOTSTRAP_VERSION := 5.3.8
HTMX_VERSION := 2.0.11
AXE_VERSION := 4.14.1

.DEFAULT_GOAL := help
.PHONY: help run test lint format worker bench messages lock vendor clean

help: ## Show the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(VENV)/.installed-run: requirements.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed-run requirements-dev.lock
	$(PY) -m pip install --quiet -r requirements-dev.lock
	touch $@

run: $(VENV)/.installed-run ## Install, migrate, load the demo and serve on SQLite at http://$(HOST), with the worker
	mkdir -p var
	$(MANAGE) migrate --no-input -v0
	$(MANAGE) seed_demo
	@echo "Serving http://$(HOST)/ with the background worker — stop both with Ctrl+C."
	$(MANAGE) db_worker --no-startup-delay -v0 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(MANAGE) runserver $(HOST)

test: $(VENV)/.installed-dev ## Run the whole suite: lint, migration check and tests (browser tests included)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(MANAGE) makemigrations --check --dry-run
	$(VENV)/bin/pytest

lint: $(VENV)/.installed-dev ## Lint and check formatting only
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.installed-dev ## Reformat the code and fix what ruff can fix
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

worker: $(VENV)/.installed-run ## Run the background worker (django-tasks database backend)
	$(MANAGE) db_worker

bench: $(VENV)/.installed-dev ## Benchmarks on PostgreSQL (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/tkpk_bench)
	$(PY) tests/bench/run.py

messages: $(VENV)/.installed-dev ## Refresh the Indonesian translation files (needs gettext)
	$(MANAGE) makemessages --locale id --no-obsolete --ignore '.venv/*' --ignore 'var/*' --ignore 'tests/*'
	$(MANAGE) compilemessages --locale id --ignore '.venv/*'

lock: ## Re-pin the dependencies from pyproject.toml into the lock files
	rm -rf /tmp/tkpk-lock && $(PYTHON) -m venv /tmp/tkpk-lock
	/tmp/tkpk-lock/bin/pip install --quiet .
	/tmp/tkpk-lock/bin/pip freeze --exclude tkpk > requirements.lock
	/tmp/tkpk-lock/bin/pip install --quiet '.[dev]'
	(echo '-r requirements.lock'; /tmp/tkpk-lock/bin/pip freeze --exclude tkpk | grep -vxFf requirements.lock) > requirements-dev.lock

vendor: ## Re-fetch the vendored front-end packages from npm
	rm -rf /tmp/tkpk-vendor && mkdir -p /tmp/tkpk-vendor
	cd /tmp/tkpk-vendor && npm pack --silent bootstrap@$(BOOTSTRAP_VERSION) htmx.org@$(HTMX_VERSION) axe-core@$(AXE_VERSION) >/dev/null
	cd /tmp/tkpk-vendor && for f in *.tgz; do mkdir -p $${f%.tgz} && tar -xzf $$f -C $${f%.tgz}; done
	rm -rf static/vendor tests/browser/vendor && mkdir -p static/vendor/bootstrap static/vendor/htmx tests/browser/vendor/axe-core
	cp /tmp/tkpk-vendor/bootstrap-$(BOOTSTRAP_VERSION)/package/dist/css/bootstrap.min.css* static/vendor/bootstrap/
	cp /tmp/tkpk-vendor/bootstrap-$(BOOTSTRAP_VERSION)/package/dist/js/bootstrap.bundle.min.js* static/vendor/bootstrap/
	cp /tmp/tkpk-vendor/bootstrap-$(BOOTSTRAP_VERSION)/package/LICENSE static/vendor/bootstrap/LICENSE
	cp /tmp/tkpk-vendor/htmx.org-$(HTMX_VERSION)/package/dist/htmx.min.js static/vendor/htmx/
	cp /tmp/tkpk-vendor/htmx.org-$(HTMX_VERSION)/package/LICENSE static/vendor/htmx/LICENSE
	cp /tmp/tkpk-vendor/axe-core-$(AXE_VERSION)/package/axe.min.js tests/browser/vendor/axe-core/
	cp /tmp/tkpk-vendor/axe-core-$(AXE_VERSION)/package/LICENSE tests/browser/vendor/axe-core/LICENSE
	printf 'bootstrap %s\nhtmx.org %s\n' $(BOOTSTRAP_VERSION) $(HTMX_VERSION) > static/vendor/VERSIONS
	printf 'axe-core %s\n' $(AXE_VERSION) > tests/browser/vendor/VERSIONS

clean: ## Remove the virtualenv and the local SQLite database
	rm -rf $(VENV) var/*.sqlite3
