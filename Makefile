# Two set-up commands on a fresh Debian machine: `make demo` and `make test`.
# Each installs what it needs: system packages via apt-get (scripts/system-deps.sh),
# Python packages into .venv.
VENV    := .venv
PY      := $(VENV)/bin/python
STAMP   := $(VENV)/.installed-stamp
EXPORTS := exports

.PHONY: demo test system system-test venv samples bench clean

demo: system $(STAMP)
	# exit 1 only says the review found errors (the sample data has planted defects)
	$(VENV)/bin/powercat build data --out $(EXPORTS); code=$$?; [ $$code -le 1 ]
	# the blank template for officers goes inside the build's internal/ area: the build replaces
	# its folder whole and refuses one holding files it did not write (a second `make demo`)
	$(VENV)/bin/powercat template $(EXPORTS)/internal/标准模板.xlsx
	@echo "demo outputs in $(EXPORTS)/: public/ (site/index.html, catalogue/, flowcharts/: safe to publish) internal/ (review/, 备案登记表.xlsx, 标准模板.xlsx: never publish)"

test: system-test $(STAMP)
	$(PY) -m pytest

system:
	@sh scripts/system-deps.sh

system-test:
	@sh scripts/system-deps.sh test

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
	$(PY) benchmarks/bench_build.py
	$(PY) benchmarks/bench_booklet.py

clean:
	rm -rf $(VENV) $(EXPORTS) .$(EXPORTS).powercat-cache .pytest_cache

# Regenerate the sample registers of cases in data/办件登记/ (powercat cases).
cases: $(STAMP)
	$(PY) data/make_cases.py
