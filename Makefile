# НМС — the two commands a newcomer needs: `make run` and `make test`.
VENV := .venv
BIN := $(VENV)/bin
PYTHON ?= python3
PG_URL ?= postgres://postgres@127.0.0.1:5432/test
HOST ?= 127.0.0.1:8000

.PHONY: run test test-sqlite test-postgres lint format bench install

$(BIN)/nms: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(BIN)/nms

install: $(BIN)/nms

# The background worker (imports, big exports) runs beside the web server and stops with it.
run: install
	$(BIN)/nms migrate --noinput
	$(BIN)/nms demo-bootstrap
	$(BIN)/nms db_worker --no-reload & trap 'kill $$!' EXIT INT TERM; $(BIN)/nms runserver $(HOST)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test-sqlite: install
	@echo "== Tests on SQLite =="
	env -u DATABASE_URL NMS_CACHE_DIR=$(CURDIR)/var/test-cache/sqlite $(BIN)/pytest

test-postgres: install
	@if $(BIN)/python -c "import psycopg; psycopg.connect('$(PG_URL)', connect_timeout=3).close()" 2>/dev/null; then \
		echo "== Tests on PostgreSQL ($(PG_URL)) =="; \
		DATABASE_URL=$(PG_URL) NMS_CACHE_DIR=$(CURDIR)/var/test-cache/postgres $(BIN)/pytest; \
	else \
		echo "== PostgreSQL at $(PG_URL) does not answer: tests on PostgreSQL skipped =="; \
	fi

# The two databases' suites run side by side (one per core); each one's output is printed whole
# when it ends. `make test-sqlite` or `make test-postgres` runs one alone.
test: lint
	@$(MAKE) --no-print-directory -j2 --output-sync=target test-sqlite test-postgres

# bench_pages.py needs PostgreSQL: it builds the 100 000-person region in BENCH_PG_URL once, then
# reuses it (skipped when the server does not answer); the other scripts use a temporary SQLite.
# Its load is driven by Debian's wrk (installed here when absent; `--driver locust` uses locust).
BENCH_PG_URL ?= postgres://postgres@127.0.0.1:5432/nms_bench
bench: install
	$(BIN)/pip install --quiet -e '.[bench]'
	@command -v wrk >/dev/null 2>&1 || apt-get install -y -qq wrk >/dev/null 2>&1 || echo "wrk is missing: apt-get install wrk"
	@for script in bench/bench_*.py; do echo "== $$script =="; DATABASE_URL=$(BENCH_PG_URL) $(BIN)/python $$script || exit 1; done
