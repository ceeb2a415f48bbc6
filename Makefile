# Netra developer entry points. Every target creates or reuses the virtualenv in .venv.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: venv venv-stanza demo test bench train-ner train-stanza train-events cv-events

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Netra needs Python >= 3.11"'
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $(STAMP)

venv: $(STAMP)

## The optional Stanza NER backend (docs/ner.md): CPU torch first, then the [stanza] extra.
## On the project's machines `pip install torch==2.13.0` takes the CPU wheel on disk; elsewhere use
## PyTorch's CPU index: make venv-stanza TORCH_INDEX="--index-url https://download.pytorch.org/whl/cpu"
TORCH_VERSION ?= 2.13.0
TORCH_INDEX ?=
STANZA_STAMP := $(VENV)/.stanza-stamp
$(STANZA_STAMP): $(STAMP)
	$(PY) -m pip install --quiet --disable-pip-version-check torch==$(TORCH_VERSION) $(TORCH_INDEX)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev,stanza]'
	@touch $(STANZA_STAMP)

venv-stanza: $(STANZA_STAMP)

## The main job on the embedded default: SQLite under data/demo, bundled offline input.
demo: venv
	$(VENV)/bin/netra demo
	@echo "dashboard: $(VENV)/bin/netra --data-dir data/demo serve   then open http://127.0.0.1:8000/"

## The test suite (PostgreSQL tests run when NETRA_TEST_POSTGRES_URL is set, as in .ci/run); the Stanza
## backend's tests run too, so the [stanza] extra is installed first.  Two pytest-xdist workers, one per
## core (docs/testing.md); PYTEST_WORKERS=0 runs in one process.
PYTEST_WORKERS ?= 2
test: venv-stanza
	$(VENV)/bin/pytest -n $(PYTEST_WORKERS) --dist loadgroup

## Benchmarks: every bench/*.py but the helpers (_*.py), each printing its figures next to its reference.
bench: venv-stanza
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

## Stanza NER model (docs/ner.md): the same leak-free sentences as train-ner (ner_corpora DocBins) ->
## Stanza JSON + word2vec pretrain -> stanza ner_tagger (CPU, one thread, seed 13, STANZA_MAX_STEPS
## batches of 64) -> models/stanza-id + card metrics. About an hour on the 2-core machine.
STANZA_WORK ?= data/processed/stanza
STANZA_MAX_STEPS ?= 1000
train-stanza: venv-stanza
	$(PY) -m pipeline.nlp.ner_corpora --data $(NER_DATA) --out $(STANZA_WORK)/corpora
	$(PY) -m pipeline.nlp.stanza_data --ner-work $(STANZA_WORK)/corpora --out $(STANZA_WORK)
	rm -rf $(STANZA_WORK)/train-out
	$(PY) -m pipeline.nlp.stanza_train --work $(STANZA_WORK) --max-steps $(STANZA_MAX_STEPS) --dest models/stanza-id
	$(PY) -m pipeline.nlp.stanza_evaluate --data $(NER_DATA) --model models/stanza-id --json $(STANZA_WORK)/metrics.json

## Learned components of the events pipeline (docs/events.md): fit on tests/fixtures/gold/train (seed 13,
## pipeline/events/learned.cfg) -> models/events-learned, whose card gets train->dev, the 5-fold CV by
## cluster over train+dev and the ablation. About two minutes on two cores.
GOLD_DIR ?= tests/fixtures/gold
train-events: venv
	OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 $(PY) -m pipeline.events.train --gold-dir $(GOLD_DIR) --dest models/events-learned

## The same tables printed, nothing written (CV_FOLDS folds).
CV_FOLDS ?= 5
cv-events: venv
	OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 $(PY) -m pipeline.events.cv --gold-dir $(GOLD_DIR) --folds $(CV_FOLDS)
