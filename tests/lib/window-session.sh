# The stack every real-window run stands on, sourced by tests/e2e/run.sh and tests/bench/run.sh:
#   Xvfb (a free display) -> tauri-driver (free ports) -> WebKitWebDriver -> the window the
#   caller's Node script launches (tests/e2e/harness.mjs).
#
# The caller sets `set -euo pipefail`, defines `fail MESSAGE` (prints and exits), sources this
# file, then calls, in order:
#   window_session_check      the tools are installed (Xvfb, tauri-driver, WebKitWebDriver)
#   window_session_start NAME a run folder, a private $HOME, Xvfb, tauri-driver; exports
#                             DISPLAY, TAURI_DRIVER_PORT, TMPDIR and WINDOW_SESSION_WORK
#   window_session_run CMD..  runs the caller's command in the background and waits for it
# Every process started here (and whatever those started: WebKitWebDriver, the app, its WebKit
# processes) is stopped on exit, whether the run passes, fails or is interrupted, and the run
# folder is removed.

window_session_check() {
  command -v Xvfb >/dev/null || fail "Xvfb is missing: run \`make app-deps\`"
  command -v tauri-driver >/dev/null || fail "tauri-driver is missing: run \`make app-deps\`"
  [ -x /usr/bin/WebKitWebDriver ] || fail "WebKitWebDriver is missing: run \`make app-deps\`"
}

_window_session_pgroups=()
_window_session_child=""
_window_session_name=""
WINDOW_SESSION_WORK=""

_window_session_cleanup() {
  local status=$?
  trap - EXIT INT TERM
  set +e # a process that is already gone must not stop the cleanup halfway
  [ -n "$_window_session_child" ] && kill -TERM "$_window_session_child" 2>/dev/null
  # Each daemon runs in its own process group (setsid), so killing the group also stops what it
  # started: tauri-driver -> WebKitWebDriver -> app -> WebKit helper processes.
  local group
  for group in "${_window_session_pgroups[@]}"; do kill -TERM -- "-$group" 2>/dev/null || true; done
  for _ in $(seq 20); do
    local alive=0
    for group in "${_window_session_pgroups[@]}"; do kill -0 -- "-$group" 2>/dev/null && alive=1; done
    [ "$alive" = 0 ] && break
    sleep 0.1
  done
  for group in "${_window_session_pgroups[@]}"; do kill -KILL -- "-$group" 2>/dev/null || true; done
  if [ "$status" != 0 ] && [ -n "$WINDOW_SESSION_WORK" ]; then
    echo "$_window_session_name: failed; tauri-driver log:" >&2
    tail -n 40 "$WINDOW_SESSION_WORK/tauri-driver.log" >&2 2>/dev/null || true
  fi
  [ -n "$WINDOW_SESSION_WORK" ] && rm -rf "$WINDOW_SESSION_WORK"
  exit "$status"
}

window_session_start() {
  _window_session_name="${1:?window_session_start NAME}"
  WINDOW_SESSION_WORK="$(mktemp -d "${TMPDIR:-/tmp}/webhook-studio-$_window_session_name-run.XXXXXX")"
  local work="$WINDOW_SESSION_WORK"
  trap _window_session_cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM

  # Keep GLib from starting a session bus and accessibility daemons that outlive the run (when
  # that bus goes away it takes WebKitWebDriver down with it).
  export DBUS_SESSION_BUS_ADDRESS=disabled: NO_AT_BRIDGE=1
  # Nothing the stack writes lands in the real $HOME; each window also gets its own home for
  # the app itself (see tests/e2e/harness.mjs).
  export HOME="$work/home" XDG_CACHE_HOME="$work/home/cache" XDG_CONFIG_HOME="$work/home/config"
  export XDG_DATA_HOME="$work/home/share" XDG_RUNTIME_DIR="$work/home/runtime"
  mkdir -p "$XDG_CACHE_HOME" "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" && mkdir -m 700 "$XDG_RUNTIME_DIR"

  # A free display: Xvfb picks it and writes its number to fd 3.
  setsid Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp 3>"$work/display" \
    >"$work/xvfb.log" 2>&1 &
  _window_session_pgroups+=("$!")
  for _ in $(seq 100); do [ -s "$work/display" ] && break; sleep 0.05; done
  [ -s "$work/display" ] || fail "Xvfb did not start: $(cat "$work/xvfb.log")"
  export DISPLAY=":$(tr -d '[:space:]' <"$work/display")"

  # Two free ports, for tauri-driver and for the WebKitWebDriver behind it.
  local port native_port
  read -r port native_port < <(node -e '
    const net = require("node:net");
    const open = () => new Promise((ok) => { const s = net.createServer().listen(0, "127.0.0.1", () => ok(s)); });
    Promise.all([open(), open()]).then((servers) => {
      console.log(servers.map((s) => s.address().port).join(" "));
      servers.forEach((s) => s.close());
    });')

  # Without --replace-on-new-session a run that dies before deleting its session leaves the
  # driver refusing every new one ("Maximum number of active sessions").
  cat >"$work/webkit-webdriver" <<'WRAPPER'
#!/bin/sh
exec /usr/bin/WebKitWebDriver "$@" --replace-on-new-session
WRAPPER
  chmod +x "$work/webkit-webdriver"

  setsid tauri-driver --port "$port" --native-port "$native_port" \
    --native-driver "$work/webkit-webdriver" >"$work/tauri-driver.log" 2>&1 &
  _window_session_pgroups+=("$!")
  for _ in $(seq 100); do
    curl -fsS "http://127.0.0.1:$port/status" >/dev/null 2>&1 && break
    sleep 0.1
  done
  curl -fsS "http://127.0.0.1:$port/status" >/dev/null 2>&1 || fail "tauri-driver did not start"

  export TAURI_DRIVER_PORT="$port"
  # Every temporary folder of the run (each window's home among them) goes under the run folder,
  # so even a script that never cleans up after itself leaves nothing behind.
  export TMPDIR="$work/tmp"
  mkdir "$TMPDIR"
}

window_session_run() {
  # In the background with `wait`, so that INT or TERM reach the cleanup at once instead of
  # after the command finishes.
  "$@" &
  _window_session_child=$!
  wait "$_window_session_child"
}
