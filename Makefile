# The README's two promises: `make demo` and `make test`, each self-contained on a fresh machine.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# The embedder uses OpenMP; two threads match the two cores we target.
export OMP_NUM_THREADS ?= 2

.PHONY: demo test lint bench clean chromium screenshots

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed-runtime: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed-runtime

demo: $(VENV)/.installed-runtime
	$(BIN)/newsweave demo

# The browser tests drive Debian's Chromium; as root, install it when it is missing
# (otherwise those tests skip and say why).
chromium:
	@if ! command -v chromium >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing chromium for the browser tests (apt-get)"; \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null 2>&1 || \
	    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }; \
	  else \
	    echo "chromium is missing and this is not root: the browser tests will be skipped"; \
	  fi; \
	fi

test: $(VENV)/.installed-test chromium
	$(BIN)/ruff check newsweave tests benchmarks tools
	$(BIN)/python -m pytest -q

# A PNG of each page of the web UI over the demo corpus, under docs/screenshots/.
screenshots: $(VENV)/.installed-test chromium
	$(BIN)/python tools/screenshots.py docs/screenshots

lint: $(VENV)/.installed-test
	$(BIN)/ruff check newsweave tests benchmarks tools

bench: $(VENV)/.installed-test
	$(BIN)/pip install --quiet -e '.[bench]'
	$(BIN)/python -m benchmarks.run_all

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache .ruff_cache
