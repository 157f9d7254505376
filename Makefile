# Two entry points (see README): `make demo` runs the main job, `make test` runs the tests.
# Each creates .venv and installs what it needs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint bench docs clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip "setuptools>=68" wheel
	$(BIN)/pip install -q -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/samhandling build model/ -o out/
	@# the summary line goes to the terminal, the whole report to a file
	$(BIN)/samhandling validate model/ --lang en -o out/validation.txt; [ $$? -le 1 ]
	$(BIN)/samhandling query services-per-group model/ --lang en
	$(BIN)/samhandling analyze model/ --lang en
	@if command -v dot >/dev/null 2>&1; then \
	  $(BIN)/samhandling graph services model/ --lang en -o out/services.png && \
	  $(BIN)/samhandling slides model/ --lang en -o out/deck.pptx; \
	else \
	  echo "no picture or slides: Graphviz 'dot' is not on PATH (apt-get install graphviz), then make demo again"; \
	fi
	$(BIN)/samhandling docs model/ -o out/site
	@echo "open out/site/index.html (the website, Bokmål and English) and out/deck.pptx (the slides)"

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/python -m pytest -q -n 2 --dist loadgroup

bench: $(STAMP)
	$(BIN)/python bench/suite.py

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy

clean:
	rm -rf $(VENV) out build *.egg-info
