#!/usr/bin/env bash
# Runs `make bench`'s window benchmarks (window.mjs) against the real windows:
#   Xvfb (a free display) -> tauri-driver (free ports) -> WebKitWebDriver -> the app or the floor,
# set up by tests/lib/window-session.sh (the same stack as tests/e2e/run.sh, whose harness
# launches each window), which stops every process started here on exit.
# Usage: tests/bench/run.sh OUT.json
# Environment: WEBHOOK_STUDIO_APP, WEBHOOK_FLOOR_APP, WEBHOOK_STUDIO_CLI (the binaries, built in
# the same profile), BENCH_RUNS (default 15); BENCH_LOOPBACK is set here (which loopback the
# runs used, see below) and read by window.mjs: set it yourself (any text) to run on the
# machine's loopback, e.g. to capture the stalls described below.
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

# The WebDriver chain's own sockets on the loopback (tauri-driver's proxy, and the inspector
# relay inside the window's process that carries WebKitWebDriver's messages) do not set
# TCP_NODELAY. Where one of them writes a small message while its previous one is still
# unacknowledged, Nagle's algorithm holds it until the ACK, which Linux delays by up to 40 ms
# when the receiver has nothing to send back. On a capture of the loopback (tcpdump, five
# windows of each kind), every window met one to three such stalls of 40-44 ms: the relay's
# message that the page navigated, a reply inside the app's first click (behind a target
# listing WebKit pushes as the page starts), tauri-driver's answer to a wait (the floor's
# "loaded", the app's "Open button shown"). Their moments are set by the chain's own messages,
# not by either page, and they add 0 to 3 x 40 ms to a run at random. So the
# runs go in a private network namespace whose loopback routes carry `quickack`: its receivers
# acknowledge at once, and no write waits. Nothing else changes: the same processes, sockets
# and requests. Without a namespace (no `unshare`, `ip`, or the right to make one) the runs go
# on the machine's loopback, and BENCHMARKS.md says so.
if [ -z "${BENCH_LOOPBACK:-}" ]; then
  userns=()
  [ "$(id -u)" = 0 ] || userns=(--map-root-user)
  # iproute2 installs `ip` in /usr/sbin, which a user's PATH may leave out.
  ip="$(PATH="$PATH:/usr/sbin:/sbin" command -v ip || true)"
  quickack="$ip link set lo up &&
    $ip route replace local 127.0.0.0/8 dev lo table local proto kernel scope host src 127.0.0.1 quickack 1 &&
    $ip route replace local 127.0.0.1 dev lo table local proto kernel scope host src 127.0.0.1 quickack 1"
  if [ -n "$ip" ] && unshare "${userns[@]}" --net sh -c "$quickack" 2>/dev/null; then
    export BENCH_LOOPBACK="quickack"
    exec unshare "${userns[@]}" --net sh -c "$quickack && exec bash \"\$0\" \"\$1\"" "$here/run.sh" "$out"
  fi
  export BENCH_LOOPBACK="the machine's (delayed ACKs on: a private network namespace could not be made here)"
  echo "bench: the window runs go on the machine's loopback, with its delayed ACKs (see run.sh)" >&2
fi

window_session_start bench

export BENCH_OUT="$out"
window_session_run node "$here/window.mjs"
