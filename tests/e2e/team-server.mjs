// The real team server for the sync tests: `webhook-studio-server` (built by `make e2e`, or by
// run.sh) on a free 127.0.0.1 port with a temporary SQLite database, its team made with its own
// `team create` subcommand, and real curl to read and change what it holds.

import { execFile, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { REPO_ROOT, freePort } from "./harness.mjs";

const BINARY =
  process.env.WEBHOOK_STUDIO_SERVER ??
  path.join(process.env.CARGO_TARGET_DIR ?? path.join(REPO_ROOT, "target"), "debug", "webhook-studio-server");

function run(file, args) {
  return new Promise((resolve) => {
    execFile(file, args, { env: process.env, timeout: 60_000 }, (error, stdout, stderr) => {
      const status = error ? (typeof error.code === "number" ? error.code : -1) : 0;
      resolve({ status, stdout, stderr });
    });
  });
}

async function waitForHttp(url, what) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const { status, stdout } = await run("curl", ["-sS", "-o", "/dev/null", "-w", "%{http_code}", url]);
    if (status === 0 && stdout !== "000") return;
    if (Date.now() > deadline) throw new Error(`${what} did not answer at ${url}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A process started here, stopped (and waited for) by `stop()`. */
function startProcess(file, args, log) {
  const child = spawn(file, args, { stdio: ["ignore", "pipe", "pipe"] });
  child.stdout.on("data", (chunk) => log.push(String(chunk)));
  child.stderr.on("data", (chunk) => log.push(String(chunk)));
  const exited = new Promise((resolve) => child.once("exit", resolve));
  return {
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/**
 * Creates a team in a fresh database and starts the server on a free port. `stop()` and
 * `start()` take it down and bring it back on the same port and database.
 */
export async function startTeamServer({ teamName }) {
  const dir = await mkdtemp(path.join(tmpdir(), "webhook-studio-server-e2e-"));
  const database = `sqlite:${path.join(dir, "server.db")}`;
  const created = await run(BINARY, ["team", "create", "--database", database, "--name", teamName]);
  if (created.status !== 0) throw new Error(`team create failed (${created.status}): ${created.stderr}`);
  const key = /^key: (\S+)$/m.exec(created.stdout)?.[1];
  const team = /^team: (\S+)$/m.exec(created.stdout)?.[1];
  if (!key || !team) throw new Error(`team create printed no team and key: ${created.stdout}`);

  const port = await freePort();
  const url = `http://127.0.0.1:${String(port)}`;
  const log = [];
  let process_ = null;
  const server = {
    url,
    key,
    team,
    log: () => log.join(""),
    async start() {
      process_ = startProcess(BINARY, ["--listen", `127.0.0.1:${String(port)}`, "--database", database], log);
      await waitForHttp(`${url}/v1/info`, "webhook-studio-server");
    },
    async stop() {
      await process_?.stop();
      process_ = null;
    },
    /** Another team on the same server (its own `team create`): its id and API key. */
    async createTeam(name) {
      const made = await run(BINARY, ["team", "create", "--database", database, "--name", name]);
      if (made.status !== 0) throw new Error(`team create failed (${made.status}): ${made.stderr}`);
      const other = { key: /^key: (\S+)$/m.exec(made.stdout)?.[1], team: /^team: (\S+)$/m.exec(made.stdout)?.[1] };
      if (!other.key || !other.team) throw new Error(`team create printed no team and key: ${made.stdout}`);
      return other;
    },
    /**
     * Real curl with the team's key (or `as`, another team's); resolves with the HTTP status,
     * headers and parsed body.
     */
    async curl(method, route, { headers = {}, body, as = key } = {}) {
      const args = ["-sS", "-D", "-", "-X", method, "-H", `Authorization: Bearer ${as}`];
      for (const [name, value] of Object.entries(headers)) args.push("-H", `${name}: ${value}`);
      if (body !== undefined) args.push("-H", "Content-Type: application/json", "--data-binary", JSON.stringify(body));
      args.push(`${url}${route}`);
      const answer = await run("curl", args);
      if (answer.status !== 0) throw new Error(`curl ${method} ${route} failed: ${answer.stderr}`);
      const split = answer.stdout.indexOf("\r\n\r\n");
      const head = answer.stdout.slice(0, split).split("\r\n");
      const text = answer.stdout.slice(split + 4);
      const status = Number(head[0].split(" ")[1]);
      const found = Object.fromEntries(
        head.slice(1).map((line) => {
          const colon = line.indexOf(":");
          return [line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim()];
        }),
      );
      return { status, headers: found, body: text === "" ? null : JSON.parse(text) };
    },
    async close() {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
  await server.start();
  return server;
}

/** A plain HTTP server that is not ours (Python's), on a free port: a wrong address. */
export async function startForeignServer() {
  const dir = await mkdtemp(path.join(tmpdir(), "webhook-studio-foreign-e2e-"));
  const port = await freePort();
  const log = [];
  const child = startProcess("python3", ["-m", "http.server", String(port), "--bind", "127.0.0.1", "--directory", dir], log);
  const url = `http://127.0.0.1:${String(port)}`;
  await waitForHttp(url, "python3 -m http.server");
  return {
    url,
    async close() {
      await child.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A stand-in for a Webhook Studio server of a later release, whose sync API is version 2: it
 * answers `GET /v1/info` as ours would, and nothing else. No such release exists to run.
 */
export async function startFutureServer() {
  const port = await freePort();
  const script = [
    "import http.server, json, sys",
    "class Info(http.server.BaseHTTPRequestHandler):",
    "    def do_GET(self):",
    "        body = json.dumps({'server': 'webhook-studio-server', 'api_version': 2, 'version': '9.0.0'}).encode()",
    "        self.send_response(200 if self.path == '/v1/info' else 404)",
    "        self.send_header('Content-Type', 'application/json')",
    "        self.send_header('Content-Length', str(len(body)))",
    "        self.end_headers()",
    "        self.wfile.write(body)",
    "http.server.HTTPServer(('127.0.0.1', int(sys.argv[1])), Info).serve_forever()",
  ].join("\n");
  const log = [];
  const child = startProcess("python3", ["-c", script, String(port)], log);
  const url = `http://127.0.0.1:${String(port)}`;
  await waitForHttp(`${url}/v1/info`, "the API version 2 stand-in");
  return { url, close: () => child.stop() };
}
