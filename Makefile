# rapporteur — two commands on a fresh machine:
#   make demo   builds .venv and synthesizes the bundled 2017 General Debate excerpt
#   make test   builds .venv and runs the test suite (everything, SQLite then PostgreSQL)
#   make check  the fast lane: every test not marked slow, on SQLite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/test

.PHONY: demo test check venv clean benchmark browser

venv: $(STAMP)

# torch first, pinned: `pip install torch==2.13.0` takes the local CPU wheel; any other spelling
# would pull the CUDA build. Everything else then sees torch as already satisfied.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/rapporteur synthesize examples/ungdc-2017-migration --about migration \
		--title "UN General Debate 2017: what States said on migration" --out demo-report
	@echo "Open demo-report/report.html in a browser."

# Browser tests drive Debian's Chromium through Playwright (never `playwright install`).
browser:
	@test -x /usr/bin/chromium || { apt-get update -qq && apt-get install -y -qq chromium chromium-driver; }

# Everything on SQLite, then the web platform again on the PostgreSQL server at $(POSTGRES_URL)
# (its fast lane: the browser walks, marked slow, ran on SQLite).
test: $(STAMP) browser
	$(BIN)/python -m pytest
	DATABASE_URL=$(POSTGRES_URL) $(BIN)/python -m pytest tests/web -m "not slow"

# A test that takes over 30 s is marked slow (pytest.mark.slow); the fast lane leaves those out.
check: $(STAMP) browser
	$(BIN)/python -m pytest -m "not slow"

benchmark: $(STAMP)
	$(BIN)/python benchmarks/ungdc_year.py --year 2018 --about migration

clean:
	rm -rf $(VENV) demo-report .pytest_cache
