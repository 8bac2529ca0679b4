# AMP Platform. `make run` serves the demo; `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# Links made without a request (mails from tasks, the demo's Site) point at the port we serve on;
# pages and mails sent during a request use the request's own host and port anyway.
SITE_URL ?= http://127.0.0.1:$(PORT)
APPS := accounts places partnerships safety surveys
PYTEST_ARGS ?=
# Tests run on a frozen clock (tests/clock.py): first at the real time, then moved to a hard
# moment — a year end at night in Stockholm, when the UTC date is still the old year.
TEST_CLOCK ?= 2027-01-01T00:30
TEST_WORKERS ?= 2

.PHONY: run test crawl install messages compilemessages migrate demo lint fmt migrations-check check-deploy worker beat clean

$(BIN)/.installed: requirements.lock
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --requirement requirements.lock
	touch $@

# whitenoise (DEBUG) looks for the collected-static directory at start-up.
install: $(BIN)/.installed
	mkdir -p var/staticfiles

compilemessages: install
	$(BIN)/python manage.py compilemessages --ignore=.venv --ignore=var -v 0

migrate: install
	SITE_URL=$(SITE_URL) $(BIN)/python manage.py migrate --noinput -v 0

demo: migrate
	SITE_URL=$(SITE_URL) $(BIN)/python manage.py seed_demo

run: install compilemessages migrate demo
	@echo "Serving the demo on http://127.0.0.1:$(PORT)/  (manager@example.org / amp-demo-2026)"
	SITE_URL=$(SITE_URL) $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# The accessibility crawl (tests/e2e/test_crawl.py): every page of every demo user in a browser.
# Once, at the real time; it opens several pages at once itself, so no -n.
CRAWL = $(BIN)/pytest -m crawl -rP $(PYTEST_ARGS)

# `make test`, on two cores in under 30 minutes:
# - first every test at the real time (pass 1);
# - then at the hard moment: every test but the browser journeys (they ran at the real time
#   just before), the hostile-typing test and the API's fuzzing (about the input, not the
#   date), the architecture, catalogue and settings checks (about the code), and the tests
#   that kill and starve worker processes (about faults; the real worker's report run and the
#   outbox's retries stay in), plus the journeys whose pages read the device's clock (offline);
# - the crawl runs beside both passes: it keeps one core busy (the live server renders one page
#   at a time) where the passes keep two, and has a database (test_…; the passes' workers use
#   test_…_gwN), cache prefix and output of its own, printed when it ends. One exit status for
#   all: a failing pass does not stop the others.
CLOCK_PASS_SKIPS = -k "not test_no_500_whatever_is_typed" \
  --ignore=tests/api/test_schemathesis.py --ignore=tests/api/test_hostile_api.py \
  --ignore=tests/foundation/test_architecture.py --ignore=tests/foundation/test_translations.py \
  --ignore=tests/foundation/test_env.py --ignore=tests/foundation/test_production.py \
  --ignore=tests/reliability/test_worker_faults.py --ignore=tests/reliability/test_alert_worker.py
test: install compilemessages
	$(CRAWL) -p no:cacheprovider > var/crawl.log 2>&1 & crawl=$$!; \
	trap 'kill $$crawl 2>/dev/null || true' INT TERM; \
	status=0; \
	$(BIN)/pytest -n $(TEST_WORKERS) -m "not crawl" $(PYTEST_ARGS) || status=1; \
	$(BIN)/pytest -n $(TEST_WORKERS) -m "not crawl and not e2e" $(CLOCK_PASS_SKIPS) \
	  --clock $(TEST_CLOCK) $(PYTEST_ARGS) || status=1; \
	$(BIN)/pytest -n 1 -m "e2e and not crawl" --clock $(TEST_CLOCK) tests/e2e/test_offline.py \
	  $(PYTEST_ARGS) || status=1; \
	echo "Waiting for the crawl …"; wait $$crawl || status=1; \
	cat var/crawl.log; \
	exit $$status

crawl: install compilemessages
	$(CRAWL)

# Regenerate the Swedish catalogues: one per app (its code and templates) and one for the shared
# templates/ and amp_platform/ code.
messages: install
	for app in $(APPS); do (cd $$app && ../$(BIN)/python ../manage.py makemessages -l sv --no-location --no-obsolete -v 0); done
	$(BIN)/python manage.py makemessages -l sv --no-location --no-obsolete -v 0 $(foreach app,$(APPS),--ignore=$(app)) --ignore=.venv --ignore=var --ignore=tests --ignore=static
	$(BIN)/python tools/public_catalogues.py  # Arabic and Somali: the public pages only

lint: install
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .

fmt: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

migrations-check: install
	$(BIN)/python manage.py makemigrations --check --dry-run

check-deploy: install
	DEBUG=0 SECRET_KEY=$$(printf 'x%.0s' $$(seq 1 60))-production-check ALLOWED_HOSTS=amp.example.org \
	SITE_URL=https://amp.example.org $(BIN)/python manage.py check --deploy --fail-level WARNING
	# The production static pipeline (whitenoise manifest) must resolve every referenced file.
	DEBUG=0 SECRET_KEY=$$(printf 'x%.0s' $$(seq 1 60))-production-check \
	$(BIN)/python manage.py collectstatic --noinput -v 0 --clear

# Full stack: run these beside `make run` with REDIS_URL (and DATABASE_URL) set.
worker: install
	$(BIN)/celery -A amp_platform worker --loglevel=INFO --concurrency=2

beat: install
	$(BIN)/celery -A amp_platform beat --loglevel=INFO --schedule=var/celerybeat-schedule

clean:
	rm -rf $(VENV) var/staticfiles var/test-media
