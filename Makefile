# Two commands do all the set-up (see README):
#   make demo  — install what is missing, build an archive from sample_archive/, open the app
#   make test  — install what is missing, run the whole test suite
VENV      ?= .venv
PY        := $(VENV)/bin/python
DEMO_DIR  ?= $(CURDIR)/.demo-archive
STAMP     := $(VENV)/.installed

.PHONY: demo test system venv bench sample clean

system:
	bash scripts/install-system.sh

$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $(STAMP)

venv: $(STAMP)

demo: system venv
	$(VENV)/bin/archive-tui --archive $(DEMO_DIR) demo-setup sample_archive
	$(VENV)/bin/archive-tui --archive $(DEMO_DIR)

test: system venv
	$(PY) -m pytest -n 2 --dist loadgroup $(PYTEST_ARGS)

bench: venv
	$(PY) -m bench

sample: venv
	$(PY) scripts/make_sample_archive.py sample_archive

clean:
	rm -rf $(VENV) $(DEMO_DIR)
