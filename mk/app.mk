# The desktop app (src-tauri/), its web UI (ui/) and its end-to-end tests (tests/e2e/).
# Included by the root Makefile. Every target is idempotent and works on a fresh Debian 12,
# as root or through sudo.
#
#   make app-deps   system packages, npm packages, tauri-driver (only what is missing)
#   make ui-build   the UI into ui/dist
#   make app-build  the app binary with the UI embedded: target/debug/webhook-studio-app
#   make app-run    build, then open the app
#   make ui-check   tsc, ESLint, Vitest
#   make bindings   regenerate ui/src/bindings.ts from the Rust commands
#   make e2e        build, then drive the real window under Xvfb (tests/e2e/run.sh)

# Including this file must not change the including Makefile's default goal.
app_mk_previous_default_goal := $(.DEFAULT_GOAL)

SUDO ?= $(if $(filter 0,$(shell id -u)),,sudo)
CARGO ?= cargo
NPM ?= npm

# Packages from the Tauri-on-Linux recipe: WebKitGTK and friends to build and run the app,
# WebKitWebDriver, Xvfb and X tools for the end-to-end tests.
APP_APT_PACKAGES := libwebkit2gtk-4.1-dev build-essential curl wget file libxdo-dev \
	libssl-dev libayatana-appindicator3-dev librsvg2-dev webkit2gtk-driver xvfb xclip xauth \
	dbus-x11 imagemagick zsh

UI_DIR := ui
E2E_DIR := tests/e2e
APP_PACKAGE := webhook-studio-app
APP_BIN := $(or $(CARGO_TARGET_DIR),target)/debug/webhook-studio-app
# The app embeds ui/dist through its default `embed-ui` feature, so this build, clippy and the
# tests all compile Tauri the same way.
APP_CARGO_FLAGS := -p $(APP_PACKAGE)

.PHONY: app-deps app-apt-deps app-npm-deps app-tauri-driver ui-build app-build app-run \
	ui-check bindings e2e

app-deps: app-apt-deps app-npm-deps app-tauri-driver

app-apt-deps:
	@missing=""; \
	for pkg in $(APP_APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' "$$pkg" 2>/dev/null | grep -q 'install ok installed' \
	    || missing="$$missing $$pkg"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "app-deps: installing$$missing"; \
	  $(SUDO) apt-get update && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y $$missing; \
	fi

app-npm-deps: $(UI_DIR)/node_modules/.package-lock.json $(E2E_DIR)/node_modules/.package-lock.json

# npm ci only when node_modules is missing or older than the lock file.
$(UI_DIR)/node_modules/.package-lock.json $(E2E_DIR)/node_modules/.package-lock.json: \
		%/node_modules/.package-lock.json: %/package-lock.json
	@command -v $(NPM) >/dev/null || { echo "app-deps: Node.js 20.20+ and npm are required" >&2; exit 1; }
	cd $* && $(NPM) ci --no-audit --no-fund
	@touch $@

app-tauri-driver:
	@command -v tauri-driver >/dev/null || $(CARGO) install tauri-driver --version '^2' --locked

ui-build: $(UI_DIR)/dist/index.html

# Rebuilt only when a UI source changes: a fresh ui/dist makes Cargo recompile the app crate.
UI_SOURCES := $(shell find $(UI_DIR)/src $(UI_DIR)/public -type f 2>/dev/null) \
	$(wildcard $(UI_DIR)/index.html $(UI_DIR)/vite.config.ts $(UI_DIR)/tsconfig.json)
$(UI_DIR)/dist/index.html: $(UI_SOURCES) $(UI_DIR)/node_modules/.package-lock.json
	cd $(UI_DIR) && $(NPM) run build
	@touch $@

app-build: ui-build
	$(CARGO) build $(APP_CARGO_FLAGS)

app-run: app-build
	$(APP_BIN)

ui-check: $(UI_DIR)/node_modules/.package-lock.json
	cd $(UI_DIR) && $(NPM) run typecheck
	cd $(UI_DIR) && $(NPM) run lint
	cd $(UI_DIR) && $(NPM) test

# The bindings test rewrites ui/src/bindings.ts instead of comparing when this is set.
bindings:
	WEBHOOK_STUDIO_WRITE_BINDINGS=1 $(CARGO) test -p $(APP_PACKAGE) --lib bindings::

# The end-to-end tests build the app with the whole workspace's feature set, the one
# `cargo test --workspace` already compiled, so after the tests this only links the binary.
# (`cargo build -p webhook-studio-app` alone resolves features for the app only and would
# compile the Tauri stack a second time.)
# The team server for the sync tests comes from the same build (run.sh's own `cargo build -p`
# would resolve features again and recompile its dependencies: minutes on a fresh machine).
e2e: ui-build app-npm-deps app-tauri-driver
	$(CARGO) build --workspace --all-targets
	WEBHOOK_STUDIO_APP="$(abspath $(APP_BIN))" \
	  WEBHOOK_STUDIO_SERVER="$(abspath $(or $(CARGO_TARGET_DIR),target)/debug/webhook-studio-server)" \
	  $(E2E_DIR)/run.sh

.DEFAULT_GOAL := $(app_mk_previous_default_goal)
