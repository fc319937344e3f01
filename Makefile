# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run test test-fast test-services lint bench report-preview messages clean screenshots

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: install
	$(BIN)/kompas serve --host 127.0.0.1 --port 5000

# The test suite starts its own PostgreSQL 15 server; this installs the binaries it needs.
test-services:
	@bash scripts/ensure-test-services

test: install test-services
	$(BIN)/python -m pytest

# Everything but the browser tests and the slow runs (markers in pyproject.toml): a few minutes.
test-fast: install test-services
	$(BIN)/python -m pytest -m "not browser and not slow"

lint: install
	$(BIN)/ruff check kompas tests bench soak
	$(BIN)/ruff format --check kompas tests bench soak
	$(BIN)/mypy --strict kompas/engine
	$(BIN)/mypy kompas

bench: install
	$(BIN)/python bench/engine.py
	$(BIN)/python bench/analysis.py
	$(BIN)/python bench/probable.py
	$(BIN)/python bench/web.py
	$(BIN)/python bench/report.py

# How many vendor answers until the choice is made, by question order (several minutes).
bench-convergence: install
	$(BIN)/python bench/convergence.py

# Long load, fault and fuzz runs against gunicorn on PostgreSQL (about 10 minutes); the
# figures are in docs/reliability.md. `make test` runs short versions of each.
.PHONY: soak
soak: install test-services
	$(BIN)/python soak/load.py
	$(BIN)/python soak/faults.py
	$(BIN)/python soak/pdf.py
	$(BIN)/python soak/fuzz.py

# The PDF report of every example, plus PNGs of its first pages to look at (needs poppler-utils).
report-preview: install
	mkdir -p test-output
	for f in examples/*.yaml; do \
	  n=$$(basename $$f .yaml); \
	  $(BIN)/kompas advise $$f --pdf test-output/$$n.pdf --municipality "Voorbeeldgemeente" >/dev/null || exit 1; \
	  pdftoppm -r 60 -f 1 -l 4 -png test-output/$$n.pdf test-output/$$n || exit 1; \
	done
	@ls test-output/*.pdf test-output/*.png

# A PNG of every page type at 1280 px and 390 px in test-output/pages/, from the browser
# test that checks each page for sideways scrolling and axe-core findings (not in `make test`).
screenshots: install test-services
	KOMPAS_SCREENSHOTS=1 $(BIN)/python -m pytest tests/test_browser.py -q -k fits_the_width
	KOMPAS_SCREENSHOTS=1 $(BIN)/python -m pytest tests/test_browser_phone.py -q -k first_screen
	@ls test-output/pages/*.png | wc -l

# Extract the interface texts into kompas/locale/{nl,en}; translate what is new in en.
messages: install
	$(BIN)/python -m kompas.messages

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis
