#!/usr/bin/env bash
# Runs `make bench`'s window benchmarks (window.mjs) against the real windows:
#   Xvfb (a free display) -> tauri-driver (free ports) -> WebKitWebDriver -> the app or the floor.
# The same stack as tests/e2e/run.sh, whose harness launches each window. Every process started
# here is stopped on exit. Usage: tests/bench/run.sh OUT.json
# Environment: WEBHOOK_STUDIO_APP, WEBHOOK_FLOOR_APP, WEBHOOK_STUDIO_CLI (the binaries, built in
# the same profile), BENCH_RUNS (default 5).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
out="$(realpath -m "${1:?usage: tests/bench/run.sh OUT.json}")"

fail() { echo "bench: $*" >&2; exit 1; }
for var in WEBHOOK_STUDIO_APP WEBHOOK_FLOOR_APP WEBHOOK_STUDIO_CLI; do
  [ -x "${!var:-}" ] || fail "$var is not an executable: ${!var:-unset}"
  export "$var=$(realpath "${!var}")"
done
command -v Xvfb >/dev/null || fail "Xvfb is missing: run \`make app-deps\`"
command -v tauri-driver >/dev/null || fail "tauri-driver is missing: run \`make app-deps\`"
[ -x /usr/bin/WebKitWebDriver ] || fail "WebKitWebDriver is missing: run \`make app-deps\`"
[ -d "$repo/tests/e2e/node_modules" ] || (cd "$repo/tests/e2e" && npm ci --no-audit --no-fund)

work="$(mktemp -d "${TMPDIR:-/tmp}/webhook-studio-bench-run.XXXXXX")"
pgroups=()
node_pid=""
cleanup() {
  local status=$?
  trap - EXIT INT TERM
  set +e
  [ -n "$node_pid" ] && kill -TERM "$node_pid" 2>/dev/null
  # Each daemon runs in its own process group (setsid): killing the group also stops what it
  # started (tauri-driver -> WebKitWebDriver -> window -> WebKit processes).
  local group
  for group in "${pgroups[@]}"; do kill -TERM -- "-$group" 2>/dev/null || true; done
  for _ in $(seq 20); do
    local alive=0
    for group in "${pgroups[@]}"; do kill -0 -- "-$group" 2>/dev/null && alive=1; done
    [ "$alive" = 0 ] && break
    sleep 0.1
  done
  for group in "${pgroups[@]}"; do kill -KILL -- "-$group" 2>/dev/null || true; done
  if [ "$status" != 0 ]; then
    echo "bench: failed; tauri-driver log:" >&2
    tail -n 40 "$work/tauri-driver.log" >&2 2>/dev/null || true
  fi
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# As in tests/e2e/run.sh: no session bus or accessibility daemons, nothing written to $HOME.
export DBUS_SESSION_BUS_ADDRESS=disabled: NO_AT_BRIDGE=1
export HOME="$work/home" XDG_CACHE_HOME="$work/home/cache" XDG_CONFIG_HOME="$work/home/config"
export XDG_DATA_HOME="$work/home/share" XDG_RUNTIME_DIR="$work/home/runtime"
mkdir -p "$XDG_CACHE_HOME" "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" && mkdir -m 700 "$XDG_RUNTIME_DIR"

setsid Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp 3>"$work/display" \
  >"$work/xvfb.log" 2>&1 &
pgroups+=("$!")
for _ in $(seq 100); do [ -s "$work/display" ] && break; sleep 0.05; done
[ -s "$work/display" ] || fail "Xvfb did not start: $(cat "$work/xvfb.log")"
export DISPLAY=":$(tr -d '[:space:]' <"$work/display")"

read -r port native_port < <(node -e '
  const net = require("node:net");
  const open = () => new Promise((ok) => { const s = net.createServer().listen(0, "127.0.0.1", () => ok(s)); });
  Promise.all([open(), open()]).then((servers) => {
    console.log(servers.map((s) => s.address().port).join(" "));
    servers.forEach((s) => s.close());
  });')

cat >"$work/webkit-webdriver" <<'WRAPPER'
#!/bin/sh
exec /usr/bin/WebKitWebDriver "$@" --replace-on-new-session
WRAPPER
chmod +x "$work/webkit-webdriver"

setsid tauri-driver --port "$port" --native-port "$native_port" \
  --native-driver "$work/webkit-webdriver" >"$work/tauri-driver.log" 2>&1 &
pgroups+=("$!")
for _ in $(seq 100); do
  curl -fsS "http://127.0.0.1:$port/status" >/dev/null 2>&1 && break
  sleep 0.1
done
curl -fsS "http://127.0.0.1:$port/status" >/dev/null 2>&1 || fail "tauri-driver did not start"

export TAURI_DRIVER_PORT="$port" BENCH_OUT="$out" TMPDIR="$work/tmp"
mkdir "$TMPDIR"
node "$here/window.mjs" &
node_pid=$!
wait "$node_pid"
