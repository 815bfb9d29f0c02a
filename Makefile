# Haven: `make run` serves the demo on 127.0.0.1:8000, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1:8000
PYTEST_ARGS ?= -n 2

.PHONY: install run demo-reset test test-fast fuzz browser bench bench-load bench-compare bench-sponsorship messages check-deploy clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/haven migrate --noinput
	@# Stored deadlines follow the rules engine of this version (an upgrade can change how holidays count).
	$(BIN)/haven deadlines recompute
	$(BIN)/haven demo load
	$(BIN)/haven runserver $(HOST)

# Start the demo again from nothing: only the default SQLite database under var/, never a DATABASE_URL you set.
demo-reset: install
	@if [ -n "$$DATABASE_URL" ]; then echo "demo-reset only resets the default SQLite database (var/haven.sqlite3); unset DATABASE_URL"; exit 2; fi
	rm -f var/haven.sqlite3 var/audit-checkpoints.log
	$(BIN)/haven migrate --noinput
	$(BIN)/haven demo load

browser:
	scripts/install-chromium.sh
	scripts/install-system-deps.sh

test: install browser
	$(BIN)/haven check
	$(BIN)/haven makemigrations --check --dry-run
	$(BIN)/pytest $(PYTEST_ARGS)

test-fast: install
	$(BIN)/pytest -m "not browser" $(PYTEST_ARGS)

# `make test` runs schemathesis over every API operation with a few derandomized examples each; this searches longer.
fuzz: install
	HAVEN_FUZZ_EXAMPLES=$${HAVEN_FUZZ_EXAMPLES:-40} $(BIN)/pytest $(PYTEST_ARGS) tests/test_api_schemathesis.py \
		haven/transfer/tests/test_parser_properties.py

bench: install bench-sponsorship
	$(BIN)/python bench/run.py
	$(BIN)/python bench/casework_bench.py --write
	$(MAKE) bench-load

# Issue 14's load test: locust, LOAD_USERS caseworkers' mixed work for LOAD_DURATION against gunicorn and PostgreSQL
# on loopback, figures into BENCHMARKS.md. A quick run: `make bench-load LOAD_DURATION=30s LOAD_USERS=10`.
LOAD_USERS ?= 50
LOAD_DURATION ?= 5m
BENCH_STAMP := $(VENV)/.bench-installed
$(BENCH_STAMP): pyproject.toml $(STAMP)
	$(BIN)/pip install --quiet -e '.[test,bench]'
	touch $(BENCH_STAMP)

bench-load: install $(BENCH_STAMP)
	$(BIN)/python bench/load_test.py --users $(LOAD_USERS) --duration $(LOAD_DURATION) --write

# `make bench-compare BASE=<commit>`: the refactoring measures, that commit against this checkout, in turn.
bench-compare: install
	test -d var/bench-base || git worktree add --detach var/bench-base $(BASE)
	$(BIN)/python bench/compare.py --base var/bench-base
# Queries of the sponsorship pipeline page with 2,000 applications (issue 11: at most 15).
bench-sponsorship: install
	PYTHONPATH=. $(BIN)/python bench/sponsorship_pipeline.py --applications 2000

messages: install
	cd haven && ../$(BIN)/haven makemessages -l fr -l ko --no-obsolete --no-wrap
	cd haven && ../$(BIN)/haven compilemessages

check-deploy: install
	HAVEN_ENV=production HAVEN_SECRET_KEY=$$(head -c 48 /dev/urandom | base64) \
	HAVEN_ENCRYPTION_KEYS=$$($(BIN)/python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())') \
	HAVEN_AUDIT_KEYS=$$(head -c 32 /dev/urandom | base64) \
	HAVEN_ALLOWED_HOSTS=haven.example.org $(BIN)/haven check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) var
