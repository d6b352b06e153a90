# Webhook Studio. The two set-up commands on a fresh Debian or Ubuntu machine:
#   make run    builds and starts the app on its embedded SQLite default
#   make test   installs what is missing, then runs every check and test
# Also: make build (UI, app and CLI, nothing started), make bench (writes BENCHMARKS.md).
# Every target installs what it needs and is safe to run again.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

include mk/app.mk

# What the Rust crates' own tests and tools need: real curl and the three shells the sample
# cURL must survive; wrk drives the receiver in `make bench`. postgresql: the team server's tests
# run on a throwaway cluster (tests/pg/cluster.sh), never on a system one. iproute2: the window
# benchmarks' private loopback (tests/bench/run.sh).
RUST_APT_PACKAGES := curl dash zsh build-essential pkg-config postgresql
BENCH_APT_PACKAGES := wrk iproute2

.PHONY: help run build test bench deps rust-deps bench-deps fmt-check clippy rust-test cli schema

help:
	@echo "make run    build and start the app (embedded SQLite default)"
	@echo "make test   every check and test: fmt, clippy, UI lint and types, Rust and UI tests, end-to-end"
	@echo "make build  build the UI, the app (webhook-studio-app) and the CLI (webhook-studio)"
	@echo "make bench  measure against floors and write BENCHMARKS.md"

run: deps app-run

build: deps app-build cli

cli: rust-deps
	$(CARGO) build -p webhook-cli

deps: rust-deps app-deps

rust-deps:
	@command -v cargo >/dev/null || { echo "Rust is required: install it with rustup (https://rustup.rs), then run make again" >&2; exit 1; }
	@tests/pg/cluster.sh prepare
	@$(call apt_install,$(RUST_APT_PACKAGES))

bench-deps:
	@$(call apt_install,$(BENCH_APT_PACKAGES))

# Installs the Debian packages of $(1) that are missing; apt-get update only when needed.
define apt_install
missing=""; \
for pkg in $(1); do \
  dpkg-query -W -f='$${Status}' "$$pkg" 2>/dev/null | grep -q 'install ok installed' || missing="$$missing $$pkg"; \
done; \
if [ -n "$$missing" ]; then \
  echo "installing$$missing"; \
  $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
fi
endef

test: deps fmt-check clippy ui-check rust-test e2e
	@echo "make test: every check and test passed"

fmt-check:
	$(CARGO) fmt --all -- --check

# The app crate embeds ui/dist, so the UI is built before the workspace is compiled.
clippy: rust-deps ui-build
	$(CARGO) clippy --workspace --all-targets -- -D warnings

# Includes the staleness checks of ui/src/bindings.ts and assets/schema/. The team server's tests
# get a throwaway PostgreSQL cluster, stopped and deleted afterwards, also when a test fails.
rust-test: rust-deps ui-build
	pg_env=$$(tests/pg/cluster.sh start); eval "$$pg_env"; trap 'tests/pg/cluster.sh stop "$$WEBHOOK_STUDIO_PG_DIR"' EXIT; \
	  $(CARGO) test --workspace

# Regenerates the committed JSON Schema of the bot document.
schema:
	UPDATE_SCHEMA=1 $(CARGO) test -p webhook-block --test block the_committed_schema_is_up_to_date

# The window benchmarks compare the app with webhook-floor-app, both from the debug build that
# `make test` compiles (the same command as `make e2e`: one Tauri compilation for both windows).
BENCH_DEBUG := $(abspath $(or $(CARGO_TARGET_DIR),target)/debug)
bench: rust-deps bench-deps ui-build app-npm-deps app-tauri-driver
	$(CARGO) build --workspace --all-targets
	$(CARGO) build --release -p webhook-bench -p webhook-studio-server
	pg_env=$$(WEBHOOK_STUDIO_PG_FSYNC=on tests/pg/cluster.sh start); eval "$$pg_env"; trap 'tests/pg/cluster.sh stop "$$WEBHOOK_STUDIO_PG_DIR"' EXIT; \
	WEBHOOK_STUDIO_APP="$(BENCH_DEBUG)/webhook-studio-app" WEBHOOK_FLOOR_APP="$(BENCH_DEBUG)/webhook-floor-app" \
	  WEBHOOK_STUDIO_CLI="$(BENCH_DEBUG)/webhook-studio" \
	  WEBHOOK_STUDIO_SERVER="$(abspath $(or $(CARGO_TARGET_DIR),target)/release/webhook-studio-server)" \
	  $(or $(CARGO_TARGET_DIR),target)/release/webhook-bench $(CURDIR)
