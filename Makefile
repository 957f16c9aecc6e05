# Pacewise: the two commands you need are `make run` and `make test`.
# Rasa would otherwise send usage telemetry over the network; Pacewise never does.
export RASA_TELEMETRY_ENABLED := false
export TF_CPP_MIN_LOG_LEVEL := 2

.PHONY: help run cluster test setup nlu train check-content safety-events safety-report nlu-report content-report chat lint bench bench-cluster lock

help: ## list these targets, one line each
	@awk -F':.*## ' '/^[a-z-]+:.*## / {printf "  make %-15s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

run: ## set up what is missing, train if the data changed, start the bot
	scripts/run.sh

cluster: ## PostgreSQL, Redis, 2 Rasa + 2 action servers behind nginx (REPLICAS=n, WEB_PORT=port)
	scripts/cluster.sh $(if $(REPLICAS),--replicas $(REPLICAS))

test: ## the whole test suite (what CI runs)
	scripts/test.sh

setup: ## create .venv with the pinned dependencies and the offline spaCy pipeline
	scripts/setup.sh

nlu: setup ## regenerate the topic training data from content/
	.venv/bin/python -m pacewise.cli.nlu_export

train: nlu ## train a model if the training data changed
	scripts/train.sh

check-content: setup ## check every content file and explain each problem
	.venv/bin/python -m pacewise.cli.check_content

safety-events: setup ## list the last 7 days of red-flag and crisis events for clinician review
	.venv/bin/python -m pacewise.cli.safety_review $(if $(DAYS),--days $(DAYS))

safety-report: train ## safety screening figures on the labelled sets (recall, false positives, misses)
	.venv/bin/python -m pacewise.cli.safety_report

nlu-report: train ## understanding figures: held-out routing (right content, menu, confusions) and cross-validation
	.venv/bin/python -m pacewise.cli.nlu_report $(if $(SKIP_CV),--skip-cv) --json tests/output/nlu_report.json

content-report: train ## one HTML page for clinicians to sign the content off from (var/content-report.html)
	.venv/bin/python -m pacewise.cli.content_report

chat: ## chat in this terminal (start `make run` in another terminal first)
	.venv/bin/rasa shell --port 5006 --model models/pacewise.tar.gz --endpoints var/endpoints.yml

lint: ## ruff: lint and formatting check, as make test runs it
	.venv/bin/ruff check . && .venv/bin/ruff format --check .

bench: setup ## speed and memory beside a stock `rasa init` bot (SKIP_CV=1: without the NLU cross-validation)
	.venv/bin/python scripts/benchmark.py $(if $(SKIP_CV),--skip-cv)

bench-cluster: setup ## throughput with 1 and 2 replica pairs (PostgreSQL, Redis, nginx) beside the SQLite profile
	.venv/bin/python scripts/cluster_bench.py

lock: ## re-pin requirements.lock from requirements.in (needs the package registry)
	scripts/lock.sh
