# One command each: `make demo`, `make test`, `make dev`. Each sets up .venv first if needed.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_DATA ?= $(CURDIR)/.demo_data
DEMO_FROM ?= 2026-05-14
DEMO_TO ?= 2026-05-15
DEMO_ENV = BRIDGE_INBOX_DIR=$(CURDIR)/sample_inbox BRIDGE_DATA_DIR=$(DEMO_DATA) DAGSTER_HOME=$(DEMO_DATA)/dagster_home

.PHONY: setup demo demo-sources dev desk test test-all bench eval clean

$(STAMP): pyproject.toml setup.py
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

setup: $(STAMP)

$(DEMO_DATA)/dagster_home/dagster.yaml: dagster.yaml
	mkdir -p $(DEMO_DATA)/dagster_home
	cp dagster.yaml $@

demo: setup $(DEMO_DATA)/dagster_home/dagster.yaml
	$(DEMO_ENV) $(BIN)/dagster asset materialize -m bridge_pipeline.definitions \
		--select 'group:meeting_line' --partition-range $(DEMO_FROM)...$(DEMO_TO)
	@echo
	@$(DEMO_ENV) $(BIN)/bridge-pipeline exports --from $(DEMO_FROM) --to $(DEMO_TO)

# The daemon's Teams and Zoom sensors against the loopback fakes, until yesterday's meetings are exported.
demo-sources: setup
	$(BIN)/python -m bridge_fakes.sources_demo --workdir $(DEMO_DATA)/sources

dev: setup $(DEMO_DATA)/dagster_home/dagster.yaml
	$(DEMO_ENV) $(BIN)/dagster dev -m bridge_pipeline.definitions

# The review desk (http://127.0.0.1:8765) on the demo's data, signed in as a local development user.
desk: setup
	$(DEMO_ENV) BRIDGE_REVIEW_LOCAL_USER=dev@localhost $(BIN)/bridge-pipeline review-desk --host 127.0.0.1 --port 8765

test: setup
	$(BIN)/pytest -q -m "not slow and not fault"

# The fault-injection suite (bridge_pipeline_tests/faults/): fakes that throttle, hang or garble; killed run
# workers, daemon and code server; S3 and PostgreSQL down for a while. Kept out of `make test` (8 to 10 min on 2 cores); `.ci/run` runs it when time allows.
test-faults: setup
	$(BIN)/pytest -q -m fault

test-all: setup
	$(BIN)/pytest -q

# latency.py: meeting available -> exports under the real dagster-daemon and the loopback fakes (steady stream,
# then a backlog), then the scale curve and one-more-meeting re-run (bench_incremental.py --point N per day size).
# `make bench LATENCY_ARGS=--write-results` also rewrites bench/RESULTS.md and its charts from that run.
LATENCY_ARGS ?=
bench: setup
	$(BIN)/python bench/bench_stages.py
	$(BIN)/python bench/bench_ingest.py --meetings 2000 --days 30 --limit 50
	$(BIN)/python bench/latency.py $(LATENCY_ARGS)

# Negotiation calls scored by the shared scorer (tuned-on and held-out calls apart), then the general
# meetings: decision recall and citation accuracy, each half of the labelled Zoom meetings apart.
SHARED ?= $(CURDIR)/../shared
# Then the project's own sets (evaluation/negotiation_calls), each with its last four calls held out.
eval: setup
	-$(BIN)/python -m bridge_pipeline.evaluate_negotiations --data $(SHARED)/data/negotiations \
		--scorer $(SHARED)/tools/score_negotiations.py
	-$(BIN)/python -m bridge_pipeline.evaluate_negotiations --data evaluation/negotiation_calls/set_c \
		--scorer $(SHARED)/tools/score_negotiations.py --held-out c05,c06,c07,c08
	-$(BIN)/python -m bridge_pipeline.evaluate_negotiations --data evaluation/negotiation_calls/set_d \
		--scorer $(SHARED)/tools/score_negotiations.py --held-out e05,e06,e07,e08
	-$(BIN)/python -m bridge_pipeline.evaluate_negotiations --data evaluation/negotiation_calls/set_f \
		--scorer $(SHARED)/tools/score_negotiations.py --held-out f05,f06,f07,f08
	$(BIN)/python -m bridge_pipeline.evaluate --data $(SHARED)/data/zoom_meetings --out $(DEMO_DATA)/evaluation --halves

clean:
	rm -rf $(VENV) $(DEMO_DATA) *.egg-info
