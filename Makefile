# The front door. `make run` and `make test` do every step of setup they need.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 5000
FLASK := $(BIN)/flask --app wizard
INSTANCE := $(or $(WIZARD_INSTANCE_PATH),instance)

# `make serve`: the production server. nginx on HOST:PORT in front of gunicorn with WORKERS sync
# workers on a private port (scripts/serve.sh, deploy/nginx/), on DATABASE_URL, after the
# migrations; Redis (REDIS_URL) for the rate limits and the mail queue when it is set.
# PROXY=none serves gunicorn alone on HOST:PORT (behind a buffering proxy of your own).
WORKERS ?= 4
PROXY ?= nginx

.PHONY: serve worker send-mail load load-multihost backup-check run test vnu install compile-messages messages check-messages db seed seed-wales reset-demo chromium system-packages build-packages lint format typecheck assets static bench benchmark lighthouse clean

# "Sign in with Hwb" on a fresh clone: without a WIZARD_OIDC_ISSUER of one's own, `make run`
# starts the local development stand-in for Hwb (scripts/dev_identity_provider.py, on
# 127.0.0.1:HWB_PORT, with the demo identities), which stops when `make run` does.
HWB_PORT ?= 9400
ifeq ($(strip $(WIZARD_OIDC_ISSUER)),)
run: export WIZARD_OIDC_ISSUER := http://127.0.0.1:$(HWB_PORT)
run: export WIZARD_OIDC_CLIENT_ID := planner-development
run: export WIZARD_OIDC_CLIENT_SECRET := development-only-secret
run: export WIZARD_OIDC_DEV_PROVIDER := 1
run: HWB_DEV := yes
endif

run: seed static ## Set everything up and serve the app on $(HOST):$(PORT)
	@if [ -n "$(HWB_DEV)" ]; then $(BIN)/python scripts/dev_identity_provider.py --port $(HWB_PORT) --watch $$PPID; fi
	@echo "Serving on http://$(HOST):$(PORT)/"
	WIZARD_BASE_URL=$${WIZARD_BASE_URL:-http://$(HOST):$(PORT)} $(FLASK) run --host $(HOST) --port $(PORT)

serve: install compile-messages static ## Migrate, then serve: nginx on HOST:PORT, gunicorn with WORKERS (4) behind it
	$(FLASK) db upgrade
	$(FLASK) load-local-authorities
	WORKERS=$(WORKERS) HOST=$(HOST) PORT=$(PORT) PROXY=$(PROXY) BIN=$(BIN) bash scripts/serve.sh

worker: install compile-messages ## The mail queue's RQ worker (needs REDIS_URL)
	$(FLASK) worker

send-mail: install ## Send (or queue, with REDIS_URL) every email still unsent in the outbox
	$(FLASK) send-mail

load: install compile-messages ## Load test: gunicorn with 4 workers on PostgreSQL and Redis, 200+ users (see benchmarks/README.md)
	bash scripts/load/run.sh

# Not part of `make test`: it needs several minutes and most of a small machine.
load-multihost: install compile-messages static ## Two app hosts behind a TLS balancer, with faults (see docs/several-machines.md)
	bash scripts/load/multihost.sh

backup-check: install ## pg_dump and pg_restore a seeded PostgreSQL database and compare (see docs/operations.md)
	bash scripts/backup-restore-check.sh

# The tests run in parallel (pytest-xdist), one worker per core: each worker has its own
# database (a SQLite file, or a PostgreSQL schema) and instance folder, see tests/conftest.py.
# `make test TEST_WORKERS=0` runs them in one process. Work stealing: each worker starts with
# half of the tests in order (so a file's world is built by few workers) and one that finishes
# early takes tests from the other's end, so that no core waits on the last long tests.
TEST_WORKERS ?= auto

test: install compile-messages db system-packages vnu ## Set everything up and run every check and test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/python scripts/check_messages.py
	$(BIN)/pytest -n $(TEST_WORKERS) --dist worksteal

# The Nu Html Checker (vnu.jar, from the exact-pinned npm package vnu-jar; it needs Java), which
# tests/integration/test_html_validity.py runs over every page type. `npm ci --ignore-scripts`
# installs package-lock.json's versions as they are (vnu-jar's install script only checks Java).
VNU_JAR := node_modules/vnu-jar/build/dist/vnu.jar

$(VNU_JAR): package.json package-lock.json
	@command -v java >/dev/null || { echo "Java (11 or later) is needed for the HTML checker: apt-get install default-jre-headless" >&2; exit 1; }
	@command -v npm >/dev/null || { echo "npm is needed once, to fetch the HTML checker (vnu-jar)" >&2; exit 1; }
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	@test -f $@ && touch $@

vnu: $(VNU_JAR) ## Fetch the Nu Html Checker (npm package vnu-jar) if it is missing

$(STAMP): pyproject.toml constraints.txt | build-packages
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

compile-messages: install ## Compile the translation catalogues (the .mo files are not committed)
	$(BIN)/pybabel compile -d translations --statistics
	@test -f translations/cy/LC_MESSAGES/messages.mo

messages: install ## Extract the strings and update the Welsh catalogue
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k _plural_messages:1,2 --add-comments=TRANSLATORS: \
		--no-wrap --sort-by-file --project=wizard -o translations/messages.pot .
	$(BIN)/pybabel update -i translations/messages.pot -d translations --no-wrap --no-fuzzy-matching --ignore-obsolete

check-messages: install ## Fail if the catalogue is out of date, or a Welsh entry is missing, empty or fuzzy
	$(BIN)/python scripts/check_messages.py

db: install ## Create or migrate the database (SQLite in instance/ unless DATABASE_URL is set)
	$(FLASK) db upgrade

static: install ## Build the fingerprinted, gzip and Brotli copies of static/ (plain Python, no Node)
	$(FLASK) build-static

seed: db compile-messages ## Load the 22 local authorities and the demo data (keeps saved answers)
	$(FLASK) seed-demo

# Only the SQLite file: a database named by DATABASE_URL is never dropped from here. The demo
# password (instance/demo-password) and the secret key are kept.
reset-demo: install compile-messages ## Delete the demo database (SQLite in instance/), migrate it and seed the demo again
	@if [ -n "$$DATABASE_URL" ]; then \
		echo "reset-demo resets only the SQLite database in $(INSTANCE)/: unset DATABASE_URL" >&2; exit 1; \
	fi
	rm -f $(INSTANCE)/wizard.sqlite3
	$(FLASK) db upgrade
	$(FLASK) seed-demo

seed-wales: db compile-messages ## Fill an empty database with the scale of Wales (1,500 schools)
	$(FLASK) seed-wales

# Debian packages the tests need: Chromium for the browser tests; Pango and fonts with the
# Welsh letters (ŵ, ŷ) for WeasyPrint's PDFs; nginx, the buffering proxy of `make serve`.
# PyICU (Welsh alphabetical order, wizard/domain/collation.py) builds against the system's ICU:
# it needs ICU's headers, pkg-config and a C++ compiler before `pip install`.
BUILD_PACKAGES := libicu-dev pkg-config g++
DEBIAN_PACKAGES := chromium chromium-driver libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core fonts-liberation libharfbuzz-subset0 nginx $(BUILD_PACKAGES)

build-packages: ## Install the Debian packages that building the Python packages needs, if any is missing
	@missing=$$(for p in $(BUILD_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "Installing from Debian's packages:" $$missing; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

system-packages: ## Install the Debian packages the tests need, if any is missing
	@missing=$$(for p in $(DEBIAN_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "Installing from Debian's packages:" $$missing; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

chromium: system-packages

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

typecheck: install
	$(BIN)/mypy

assets: ## Rebuild the committed front-end assets (needs Node and npm)
	bash scripts/build-assets.sh

# `make bench` on SQLite; with BENCH_DATABASE_URL (an EMPTY PostgreSQL database) it also runs
# under gunicorn. The table goes to benchmarks/<date>.md (see benchmarks/README.md).
BENCH_REQUESTS ?= 200
bench: install compile-messages ## Measure every kind of request at the scale of Wales
	$(BIN)/python scripts/bench.py --requests $(BENCH_REQUESTS) \
		$(if $(BENCH_DATABASE_URL),--database-url $(BENCH_DATABASE_URL) --gunicorn,)

benchmark: bench

lighthouse: install compile-messages ## Lighthouse on six pages in both languages; scores into benchmarks/ (needs npm ci)
	test -x node_modules/.bin/lighthouse || npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	CHROME_PATH=/usr/bin/chromium $(BIN)/python scripts/lighthouse.py

clean:
	rm -rf $(VENV) instance .pytest_cache .mypy_cache .ruff_cache
	find translations -name '*.mo' -delete
