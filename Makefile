# geo_klik's front door. Real work lives in scripts/bootstrap and stack/ (the local services).
# `make run`: everything, served at http://127.0.0.1:$(PORT). `make test`: the whole suite.
PYTHON := .venv/bin/python
STACK := $(PYTHON) -m stack

.PHONY: run test lint fmt bench up down env lock clean-var national-data

run:
	@scripts/bootstrap
	@$(STACK) run

test:
	@scripts/bootstrap --browser
	@$(STACK) test $(PYTEST_ARGS)

# Benchmarks (figures in docs/performance.md); not part of `make test`. BENCH_ARGS=name...
bench:
	@scripts/bootstrap --bench
	@$(STACK) bench $(BENCH_ARGS)

lint:
	@scripts/bootstrap
	$(PYTHON) -m ruff check .
	$(PYTHON) -m ruff format --check .
	$(PYTHON) -m mypy geo_klik stack tests bench
	$(PYTHON) -c 'from importlinter.cli import lint_imports_command; lint_imports_command()'

fmt:
	@scripts/bootstrap
	$(PYTHON) -m ruff check --fix .
	$(PYTHON) -m ruff format .

# Start the private PostgreSQL and Redis and provision the database, without the servers.
up:
	@scripts/bootstrap
	@$(STACK) up

down:
	@$(STACK) down

# Print the environment of the private services (eval "$(make -s env)").
env:
	@$(STACK) env

# Re-pin every dependency after editing requirements.in.
lock:
	@scripts/bootstrap
	$(PYTHON) -m pip install --quiet pip-tools
	$(PYTHON) -m piptools compile --quiet --generate-hashes --allow-unsafe --strip-extras \
		-o requirements.lock requirements.in

# Indonesia's national boundary layers (not in git) into var/data/indonesia, verified: from
# ../shared/data/indonesia when present, else the pinned upstream. FETCH_ARGS="--check" re-hashes
# them; FETCH_ARGS="--from DIR_OR_URL" picks the source.
national-data:
	@scripts/bootstrap
	$(PYTHON) manage.py fetch_national_boundaries $(FETCH_ARGS)
