# chatsvc: two commands on a fresh machine, `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# Test processes for `make test` (pytest-xdist; files stay whole on one worker, as their fixtures are per module).
TEST_WORKERS ?= 2
OFFICIAL := .venv-official
BUF := node_modules/.bin/buf
WEB := src/chatsvc/web/static/app.js
CHROMIUM := /usr/bin/chromium
BUF_DEPS := .cache/buf-deps

.PHONY: install install-test run web screenshots test self-contained protos check-protos lint buf-build migration clean bench fuzz soak

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(PY) -m pip install --quiet -e '.[test,pubsub]'
	touch $@

# The official client lives in its own environment: see the `official` extra in pyproject.toml.
$(OFFICIAL)/.installed: pyproject.toml $(VENV)/.installed
	$(PYTHON) -m venv $(OFFICIAL)
	$(PY) scripts/extra_requirements.py official > $(OFFICIAL)/requirements.txt
	$(OFFICIAL)/bin/python -m pip install --quiet -r $(OFFICIAL)/requirements.txt
	touch $@

$(BUF): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test $(OFFICIAL)/.installed

run: install $(WEB)
	$(VENV)/bin/chatsvc serve

# The browser client (web/) bundled by esbuild into the package's static files.
web: $(WEB)
$(WEB): $(BUF) scripts/build_web.mjs $(shell find web -type f 2>/dev/null)
	node scripts/build_web.mjs

# The README's pictures of the browser client, taken by its browser tests (docs/screenshots/).
screenshots: install-test $(WEB) $(CHROMIUM)
	CHATSVC_README_SCREENSHOTS=1 CHATSVC_TEST_DATABASE_URL= CHATSVC_OFFICIAL_PYTHON=$(CURDIR)/$(OFFICIAL)/bin/python \
	  $(PY) -m pytest -q tests/browser

# Browser tests drive Debian's Chromium (Playwright cannot download its own browsers here).
$(CHROMIUM):
	apt-get install -y -q --no-install-recommends chromium >/dev/null \
	  || { apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends chromium >/dev/null; }

protos: $(VENV)/.installed
	PYTHON=$(PY) scripts/gen_protos.sh generated

# buf sees google/api, google/type and google/rpc (imported by protos/) as a second local module (buf.yaml):
# links to the .proto files inside the installed googleapis-common-protos wheel, never copied into the repo.
$(BUF_DEPS)/.linked: $(VENV)/.installed
	rm -rf $(BUF_DEPS)
	mkdir -p $(BUF_DEPS)/google
	site=$$($(PY) -c 'import os, google.api.annotations_pb2 as a; print(os.path.dirname(os.path.dirname(a.__file__)))') && \
	  for d in api type rpc; do ln -s "$$site/$$d" $(BUF_DEPS)/google/$$d; done
	touch $@

lint: $(BUF) $(VENV)/.installed-test $(BUF_DEPS)/.linked
	$(BUF) lint
	$(BUF) build -o /dev/null
	$(VENV)/bin/ruff check src tests scripts

# The suite runs on SQLite, and on PostgreSQL too whenever one answers (scripts/test_backends.py holds the rule;
# CHATSVC_TEST_DATABASE_URL names another server, empty turns PostgreSQL off). The last line says what ran.
BACKENDS := eval "$$($(PY) scripts/test_backends.py)"

# $(BUF) stands for node_modules, installed whole by `npm ci`: buf and Google's Node client (tests/e2e/node).
test: install-test lint self-contained $(BUF) $(WEB) $(CHROMIUM)
	@$(BACKENDS); status=0; \
	  CHATSVC_OFFICIAL_PYTHON=$(CURDIR)/$(OFFICIAL)/bin/python $(PY) -m pytest -q -n $(TEST_WORKERS) --dist loadfile $(PYTEST_ARGS) || status=$$?; \
	  echo "$$CHATSVC_TEST_BACKENDS"; exit $$status

# Nothing tracked may lean on files beside the checkout (a workspace's shared folder next to it): a fresh clone
# must pass alone. The patterns are written so that they do not match themselves.
self-contained:
	@! git grep -n -I -E -e '\.\./shared' -e 'shared[/](reference|seeds)' -- . ':!generated' \
	  || { echo 'the files above refer to a folder outside the repository' >&2; exit 1; }

# After changing storage/tables*.py: the next numbered revision in src/chatsvc/storage/migrations/versions/,
# from `alembic revision --autogenerate` against a scratch database at head. Review it; `make test` fails
# while the tables and the migrations disagree.
migration: $(VENV)/.installed
	@test -n "$(NAME)" || { echo 'usage: make migration NAME="what changed"' >&2; exit 2; }
	$(PY) -m chatsvc.storage.migrations "$(NAME)"

# The benchmark (bench/README.md): echo baseline and chatsvc scenarios, a table and bench/results.json. PostgreSQL
# too when CHATSVC_BENCH_DATABASE_URL is set; BENCH_ARGS for options, e.g. BENCH_ARGS="--quick --workers 1".
bench: install
	$(PY) -m bench $(BENCH_ARGS)

# The hardening checks' longer runs, outside CI. fuzz: the property-based tests of tests/fuzz with a bigger
# budget (FUZZ_EXAMPLES generated requests per RPC; CI runs a small fixed one). soak: five minutes of mixed load
# on one server, watching memory and errors (bench/soak.py; SOAK_ARGS for options).
fuzz: install-test
	@$(BACKENDS); CHATSVC_FUZZ_EXAMPLES=$(or $(FUZZ_EXAMPLES),300) $(PY) -m pytest -q tests/fuzz $(PYTEST_ARGS); \
	  status=$$?; echo "$$CHATSVC_TEST_BACKENDS"; exit $$status

soak: install
	$(PY) -m bench.soak $(SOAK_ARGS)

clean:
	rm -rf $(VENV) $(OFFICIAL) node_modules
