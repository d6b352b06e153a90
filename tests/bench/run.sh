#!/usr/bin/env bash
# Runs `make bench`'s window benchmarks (window.mjs) against the real windows:
#   Xvfb (a free display) -> tauri-driver (free ports) -> WebKitWebDriver -> the app or the floor,
# set up by tests/lib/window-session.sh (the same stack as tests/e2e/run.sh, whose harness
# launches each window), which stops every process started here on exit.
# Usage: tests/bench/run.sh OUT.json
# Environment: WEBHOOK_STUDIO_APP, WEBHOOK_FLOOR_APP, WEBHOOK_STUDIO_CLI (the binaries, built in
# the same profile), BENCH_RUNS (default 15).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
out="$(realpath -m "${1:?usage: tests/bench/run.sh OUT.json}")"

fail() { echo "bench: $*" >&2; exit 1; }
# shellcheck source=../lib/window-session.sh
. "$repo/tests/lib/window-session.sh"
for var in WEBHOOK_STUDIO_APP WEBHOOK_FLOOR_APP WEBHOOK_STUDIO_CLI; do
  [ -x "${!var:-}" ] || fail "$var is not an executable: ${!var:-unset}"
  export "$var=$(realpath "${!var}")"
done
window_session_check
[ -d "$repo/tests/e2e/node_modules" ] || (cd "$repo/tests/e2e" && npm ci --no-audit --no-fund)

window_session_start bench

export BENCH_OUT="$out"
window_session_run node "$here/window.mjs"
