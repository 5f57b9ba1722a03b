# Two set-up commands on a fresh Debian machine: `make demo` and `make test`.
# Each installs what it needs: system packages via apt-get (scripts/system-deps.sh),
# Python packages into .venv.
VENV    := .venv
PY      := $(VENV)/bin/python
STAMP   := $(VENV)/.installed-stamp
EXPORTS := exports

.PHONY: demo test system venv samples bench clean

demo: system $(STAMP)
	@mkdir -p $(EXPORTS)
	$(VENV)/bin/powercat list data --json > $(EXPORTS)/.list.json.tmp && mv $(EXPORTS)/.list.json.tmp $(EXPORTS)/list.json
	COLUMNS=160 $(VENV)/bin/powercat list data > $(EXPORTS)/.list.txt.tmp && mv $(EXPORTS)/.list.txt.tmp $(EXPORTS)/list.txt
	$(VENV)/bin/powercat template --force $(EXPORTS)/标准模板.xlsx
	$(VENV)/bin/powercat check data --json > $(EXPORTS)/.review.json.tmp --annotate $(EXPORTS)/review; \
	  code=$$?; mv $(EXPORTS)/.review.json.tmp $(EXPORTS)/review.json; [ $$code -le 1 ]
	rm -rf $(EXPORTS)/.flowcharts.tmp && $(VENV)/bin/powercat flowchart data --out $(EXPORTS)/.flowcharts.tmp --format svg,pdf,png \
	  && rm -rf $(EXPORTS)/flowcharts && mv $(EXPORTS)/.flowcharts.tmp $(EXPORTS)/flowcharts
	@echo "demo outputs in $(EXPORTS)/: list.json list.txt 标准模板.xlsx review.json review/ flowcharts/"

test: system $(STAMP)
	$(PY) -m pytest

system:
	@sh scripts/system-deps.sh

venv: $(STAMP)

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $(STAMP)

# Regenerate the sample workbooks in data/ from data/make_samples.py.
samples: $(STAMP)
	$(PY) data/make_samples.py

bench: $(STAMP)
	$(PY) -m pip install -q -e '.[bench]'
	$(PY) benchmarks/bench_list.py
	$(PY) benchmarks/bench_check.py
	$(PY) benchmarks/bench_flowchart.py

clean:
	rm -rf $(VENV) $(EXPORTS) .pytest_cache
