# The front door. `make run` and `make test` do every step of setup they need.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 5000
FLASK := $(BIN)/flask --app wizard

# `make serve`: the production server. Gunicorn with WORKERS workers on DATABASE_URL, after the
# migrations; Redis (REDIS_URL) for the rate limits and the mail queue when it is set.
WORKERS ?= 4

.PHONY: serve worker send-mail load backup-check run test install compile-messages messages check-messages db seed seed-wales chromium system-packages lint format typecheck assets benchmark clean

run: seed ## Set everything up and serve the app on $(HOST):$(PORT)
	@echo "Serving on http://$(HOST):$(PORT)/"
	$(FLASK) run --host $(HOST) --port $(PORT)

serve: install compile-messages ## Migrate, then serve with gunicorn: WORKERS (4), HOST, PORT
	$(FLASK) db upgrade
	$(FLASK) load-local-authorities
	WORKERS=$(WORKERS) HOST=$(HOST) PORT=$(PORT) $(BIN)/gunicorn -c gunicorn.conf.py 'wizard:create_app()'

worker: install compile-messages ## The mail queue's RQ worker (needs REDIS_URL)
	$(FLASK) worker

send-mail: install ## Send (or queue, with REDIS_URL) every email still unsent in the outbox
	$(FLASK) send-mail

load: install compile-messages ## Load test: gunicorn with 4 workers on PostgreSQL and Redis, 200+ users (see README)
	bash scripts/load/run.sh

backup-check: install ## pg_dump and pg_restore a seeded PostgreSQL database and compare (see README)
	bash scripts/backup-restore-check.sh

test: install compile-messages db system-packages ## Set everything up and run every check and test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/python scripts/check_messages.py
	$(BIN)/pytest

$(STAMP): pyproject.toml constraints.txt
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

seed: db compile-messages ## Load the 22 local authorities and the demo data (keeps saved answers)
	$(FLASK) seed-demo

seed-wales: db compile-messages ## Fill an empty database with the scale of Wales (1,500 schools)
	$(FLASK) seed-wales

# Debian packages the tests need: Chromium for the browser tests; Pango and fonts with the
# Welsh letters (ŵ, ŷ) for WeasyPrint's PDFs.
DEBIAN_PACKAGES := chromium chromium-driver libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core fonts-liberation libharfbuzz-subset0

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

benchmark: seed ## Measure server times; the results go in the README
	$(BIN)/python scripts/benchmark.py

clean:
	rm -rf $(VENV) instance .pytest_cache .mypy_cache .ruff_cache
	find translations -name '*.mo' -delete
