# 三长通: `make run` serves the demo county, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1:8000
HOST_NAME := $(firstword $(subst :, ,$(HOST)))
# The demo runs like production: DEBUG off (the product's own error pages, static files through
# WhiteNoise after collectstatic) with a random key of its own in .demo-secret-key (git-ignored).
# DEBUG, SECRET_KEY and ALLOWED_HOSTS from the environment take precedence.
DEMO_KEY := .demo-secret-key
ifeq ($(HOST_NAME),0.0.0.0)
DEMO_HOSTS := *
else
DEMO_HOSTS := 127.0.0.1,localhost,$(HOST_NAME)
endif
DEMO_ENV = DEBUG=$${DEBUG:-false} SECRET_KEY="$${SECRET_KEY:-$$(cat $(DEMO_KEY))}" ALLOWED_HOSTS="$${ALLOWED_HOSTS:-$(DEMO_HOSTS)}"

.PHONY: run test install install-dev migrate seed lint bench bench-load clean

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

$(DEMO_KEY):
	umask 077 && $(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))" > $@

migrate: install $(DEMO_KEY)
	$(DEMO_ENV) $(PY) manage.py migrate --noinput

seed: migrate
	$(DEMO_ENV) $(PY) manage.py seed_demo --host $(HOST)

# The background-job worker (large exports) runs beside the web server and stops with it.
run: seed
	$(DEMO_ENV) $(PY) manage.py collectstatic --noinput --verbosity 0
	$(DEMO_ENV) $(PY) manage.py db_worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(DEMO_ENV) $(PY) manage.py runserver $(HOST)

test: install-dev
	$(PY) -m pytest

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

bench: install
	$(PY) bench/run.py

bench-load: install
	$(PY) bench/load.py

clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-* staticfiles .pytest_cache $(DEMO_KEY)
