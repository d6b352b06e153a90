#!/usr/bin/env bash
# Runs the end-to-end tests against the real app window:
#   Xvfb (a free display) -> tauri-driver (free ports) -> WebKitWebDriver -> the app,
# set up by tests/lib/window-session.sh, which also stops every process on exit, whether the
# tests pass, fail or are interrupted.
# Usage: tests/e2e/run.sh [node --test arguments, e.g. a test file]
# Environment: WEBHOOK_STUDIO_APP (default target/debug/webhook-studio-app, built by
# `make app-build`), WEBHOOK_STUDIO_SERVER (default: the team server built here with cargo, for
# the sync tests), E2E_KEEP_TMP=1 to keep each test's temporary home.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
app="${WEBHOOK_STUDIO_APP:-${CARGO_TARGET_DIR:-$repo/target}/debug/webhook-studio-app}"
app="$(realpath "$app" 2>/dev/null || echo "$app")"

fail() { echo "e2e: $*" >&2; exit 1; }
# shellcheck source=../lib/window-session.sh
. "$here/../lib/window-session.sh"
[ -x "$app" ] || fail "no app binary at $app: run \`make app-build\` first"
window_session_check
[ -d "$here/node_modules" ] || (cd "$here" && npm ci --no-audit --no-fund)
# The sync tests run the real team server; cargo only links it again when it is up to date.
if [ -z "${WEBHOOK_STUDIO_SERVER:-}" ]; then
  (cd "$repo" && cargo build -p webhook-studio-server) || fail "cannot build webhook-studio-server"
  export WEBHOOK_STUDIO_SERVER="${CARGO_TARGET_DIR:-$repo/target}/debug/webhook-studio-server"
fi
[ -x "$WEBHOOK_STUDIO_SERVER" ] || fail "no team server binary at $WEBHOOK_STUDIO_SERVER"

window_session_start e2e

echo "e2e: app $app on display $DISPLAY, tauri-driver on port $TAURI_DRIVER_PORT"
export WEBHOOK_STUDIO_APP="$app"
cd "$here"
if [ "$#" -eq 0 ]; then set -- ./*.test.mjs; fi
window_session_run node --test --test-concurrency=1 --test-timeout=120000 "$@"
