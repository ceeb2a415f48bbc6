# Netra developer entry points. Every target creates or reuses the virtualenv in .venv.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: venv demo test bench train-ner

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Netra needs Python >= 3.11"'
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $(STAMP)

venv: $(STAMP)

## The main job on the embedded default: SQLite under data/demo, bundled offline input.
demo: venv
	$(VENV)/bin/netra demo
	@echo "dashboard: $(VENV)/bin/netra --data-dir data/demo serve   then open http://127.0.0.1:8000/"

## The test suite (PostgreSQL tests run when NETRA_TEST_POSTGRES_URL is set, as in .ci/run).
test: venv
	$(VENV)/bin/pytest

## Benchmarks: every bench/*.py but the helpers (_*.py), each printing its figures next to its reference.
bench: venv
	@for script in bench/[!_]*.py; do echo "== $$script"; $(PY) $$script || exit 1; done

## Indonesian NER model (docs/ner.md): corpora -> DocBins -> spacy train (CPU, seed 13) -> models/ner-id + card metrics.
## NER_DATA defaults to $$NETRA_NER_DATA or ../shared/data/ner.
NER_DATA ?= $(or $(NETRA_NER_DATA),../shared/data/ner)
NER_WORK ?= data/processed/ner
train-ner: venv
	$(PY) -m pipeline.nlp.ner_corpora --data $(NER_DATA) --out $(NER_WORK)
	rm -rf $(NER_WORK)/train-out
	OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 $(PY) -m spacy train models/ner-id.cfg --output $(NER_WORK)/train-out \
		--paths.train $(NER_WORK)/train.spacy --paths.dev $(NER_WORK)/dev.spacy
	$(PY) -m pipeline.nlp.ner_release $(NER_WORK)/train-out/model-best --dest models/ner-id
	$(PY) -m pipeline.nlp.ner_evaluate --data $(NER_DATA) --model models/ner-id --json $(NER_WORK)/metrics.json
