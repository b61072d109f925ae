# The two commands: `make demo` and `make test`. Everything else is for developers.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=
SHELL := /bin/bash
.SHELLFLAGS := -o pipefail -c
# pip on some machines warns about every missing local index; keep real errors visible.
QUIET_PIP := 2>&1 | { grep -v -e "is ignored: it is neither" -e "BuildBackendWarning" || true; }

.PHONY: demo demo-day test bench lint venv migrate messages clean

venv: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip $(QUIET_PIP)
	$(BIN)/python -m pip install --quiet -e ".[dev]" $(QUIET_PIP)
	@rm -f $(VENV)/.installed-* && touch $@

migrate: venv
	$(BIN)/python manage.py migrate --noinput

demo: venv
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo
	@echo "linli is serving at http://$(HOST):$(PORT)/  (Ctrl-C to stop)"
	$(BIN)/python manage.py runserver $(HOST):$(PORT) --noreload

# A day of common delivery on the demo: 1,000 orders from 40 shops, planned, with the savings.
demo-day: venv
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py delivery_demo_day

test: venv
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: venv
	$(BIN)/python -m pip install --quiet -e ".[bench]" $(QUIET_PIP) || echo "bench extras unavailable: baselines that need them will say so"
	@for b in bench/*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy linli config
	$(BIN)/python manage.py makemigrations --check --dry-run

# The zh-Hans catalogue (msgids are English): needs GNU gettext; commit the .po and the .mo.
MESSAGES_IGNORE := --ignore=.venv --ignore=static --ignore=staticfiles --ignore=node_modules \
	--ignore='*/tests/*' --ignore=tests --ignore=bench
messages: venv
	$(BIN)/python manage.py makemessages -l zh_Hans --no-obsolete $(MESSAGES_IGNORE)
	$(BIN)/python manage.py compilemessages -l zh_Hans --ignore=.venv

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache
