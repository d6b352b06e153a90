#!/usr/bin/env bash
# Runs the end-to-end tests against the real app window:
#   Xvfb (a free display) -> tauri-driver (free ports) -> WebKitWebDriver -> the app.
# Every process started here is stopped on exit, whether the tests pass, fail or are
# interrupted. Usage: tests/e2e/run.sh [node --test arguments, e.g. a test file]
# Environment: WEBHOOK_STUDIO_APP (default target/debug/webhook-studio-app, built by
# `make app-build`), WEBHOOK_STUDIO_SERVER (default: the team server built here with cargo, for
# the sync tests), E2E_KEEP_TMP=1 to keep each test's temporary home.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
app="${WEBHOOK_STUDIO_APP:-${CARGO_TARGET_DIR:-$repo/target}/debug/webhook-studio-app}"
app="$(realpath "$app" 2>/dev/null || echo "$app")"

fail() { echo "e2e: $*" >&2; exit 1; }
[ -x "$app" ] || fail "no app binary at $app: run \`make app-build\` first"
command -v Xvfb >/dev/null || fail "Xvfb is missing: run \`make app-deps\`"
command -v tauri-driver >/dev/null || fail "tauri-driver is missing: run \`make app-deps\`"
[ -x /usr/bin/WebKitWebDriver ] || fail "WebKitWebDriver is missing: run \`make app-deps\`"
[ -d "$here/node_modules" ] || (cd "$here" && npm ci --no-audit --no-fund)
# The sync tests run the real team server; cargo only links it again when it is up to date.
if [ -z "${WEBHOOK_STUDIO_SERVER:-}" ]; then
  (cd "$repo" && cargo build -p webhook-studio-server) || fail "cannot build webhook-studio-server"
  export WEBHOOK_STUDIO_SERVER="${CARGO_TARGET_DIR:-$repo/target}/debug/webhook-studio-server"
fi
[ -x "$WEBHOOK_STUDIO_SERVER" ] || fail "no team server binary at $WEBHOOK_STUDIO_SERVER"

work="$(mktemp -d "${TMPDIR:-/tmp}/webhook-studio-e2e-run.XXXXXX")"
pgroups=()
tests_pid=""
cleanup() {
  local status=$?
  trap - EXIT INT TERM
  set +e # a process that is already gone must not stop the cleanup halfway
  [ -n "$tests_pid" ] && kill -TERM "$tests_pid" 2>/dev/null
  # Each daemon runs in its own process group (setsid), so killing the group also stops
  # what it started: tauri-driver -> WebKitWebDriver -> app -> WebKit helper processes.
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
    echo "e2e: failed; tauri-driver log:" >&2
    tail -n 40 "$work/tauri-driver.log" >&2 2>/dev/null || true
  fi
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Keep GLib from starting a session bus and accessibility daemons that outlive the test
# (when that bus goes away it takes WebKitWebDriver down with it).
export DBUS_SESSION_BUS_ADDRESS=disabled: NO_AT_BRIDGE=1
# Nothing the stack writes should land in the real $HOME; each test also gets its own
# home for the app itself (see harness.mjs).
export HOME="$work/home" XDG_CACHE_HOME="$work/home/cache" XDG_CONFIG_HOME="$work/home/config"
export XDG_DATA_HOME="$work/home/share" XDG_RUNTIME_DIR="$work/home/runtime"
mkdir -p "$XDG_CACHE_HOME" "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" && mkdir -m 700 "$XDG_RUNTIME_DIR"

# A free display: Xvfb picks it and writes its number to fd 3.
setsid Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp 3>"$work/display" \
  >"$work/xvfb.log" 2>&1 &
pgroups+=("$!")
for _ in $(seq 100); do [ -s "$work/display" ] && break; sleep 0.05; done
[ -s "$work/display" ] || fail "Xvfb did not start: $(cat "$work/xvfb.log")"
export DISPLAY=":$(tr -d '[:space:]' <"$work/display")"

# Two free ports, for tauri-driver and for the WebKitWebDriver behind it.
read -r port native_port < <(node -e '
  const net = require("node:net");
  const open = () => new Promise((ok) => { const s = net.createServer().listen(0, "127.0.0.1", () => ok(s)); });
  Promise.all([open(), open()]).then((servers) => {
    console.log(servers.map((s) => s.address().port).join(" "));
    servers.forEach((s) => s.close());
  });')

# Without --replace-on-new-session a test that dies before deleting its session leaves
# the driver refusing every new one ("Maximum number of active sessions").
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

echo "e2e: app $app on display $DISPLAY, tauri-driver on port $port"
export WEBHOOK_STUDIO_APP="$app" TAURI_DRIVER_PORT="$port"
# Each test's temporary home goes under $work, so even a test that never cleans up after
# itself leaves nothing behind.
export TMPDIR="$work/tmp"
mkdir "$TMPDIR"
cd "$here"
if [ "$#" -eq 0 ]; then set -- ./*.test.mjs; fi
# In the background with `wait`, so that INT or TERM reach the cleanup at once instead of
# after the tests finish.
node --test --test-concurrency=1 --test-timeout=120000 "$@" &
tests_pid=$!
wait "$tests_pid"
