// Starts the real app for one test through tauri-driver, in a fresh temporary home, and
// tears it down again. `run.sh` provides the display and tauri-driver; this file provides
// what each test needs on top: its own data folder, a WebDriver session, screenshots.

import { execFile } from "node:child_process";
import net from "node:net";
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { remote } from "webdriverio";

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = path.resolve(HERE, "../..");
export const SCREENSHOTS = path.join(HERE, "screenshots");

function required(name) {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set: run the end-to-end tests through tests/e2e/run.sh`);
  }
  return value;
}

/** The version the app must report: the workspace's, which the app crate inherits. */
export async function workspaceVersion() {
  const manifest = await readFile(path.join(REPO_ROOT, "Cargo.toml"), "utf8");
  const section = manifest.split(/^\[workspace\.package\]\s*$/m)[1] ?? "";
  const version = /^version\s*=\s*"([^"]+)"/m.exec(section)?.[1];
  if (!version) throw new Error("no [workspace.package] version in Cargo.toml");
  return version;
}

/**
 * Launches the app in its own temporary home and returns a handle with the WebDriver
 * session. Always call `close()` (in `finally` or an `after` hook), even when the test fails.
 * `prepareDataDir(dataDir)`, when given, runs after the (empty) data folder is created and
 * before the app starts, to put files in it.
 */
export async function launchApp({ prepareDataDir } = {}) {
  const application = required("WEBHOOK_STUDIO_APP");
  const port = Number(required("TAURI_DRIVER_PORT"));

  const home = await mkdtemp(path.join(tmpdir(), "webhook-studio-e2e-"));
  const dataDir = path.join(home, "data");
  const appLog = path.join(home, "app.log");
  const pidFile = path.join(home, "app.pid");

  // WebKitWebDriver starts the "browser" with its own arguments; this launcher puts the app
  // in the temporary home first, so nothing it writes lands in the real $HOME, and records
  // its pid (exec keeps it) so the app can be killed even if the session is never deleted.
  const launcher = path.join(home, "launch-app.sh");
  const xdg = (dir) => `"${path.join(home, dir)}"`;
  await Promise.all(
    ["cache", "config", "share", "runtime"].map((dir) => mkdir(path.join(home, dir), { mode: 0o700 })),
  );
  await writeFile(
    launcher,
    [
      "#!/bin/sh",
      `export HOME="${home}"`,
      `export XDG_CACHE_HOME=${xdg("cache")} XDG_CONFIG_HOME=${xdg("config")}`,
      `export XDG_DATA_HOME=${xdg("share")} XDG_RUNTIME_DIR=${xdg("runtime")}`,
      `export WEBHOOK_STUDIO_DATA_DIR="${dataDir}"`,
      `echo $$ > "${pidFile}"`,
      `exec "${application}" "$@" 2>>"${appLog}"`,
      "",
    ].join("\n"),
  );
  await chmod(launcher, 0o755);
  if (prepareDataDir) {
    await mkdir(dataDir);
    await prepareDataDir(dataDir);
  }

  let browser;
  try {
    browser = await startSession(launcher, port);
  } catch (error) {
    await killApp(pidFile);
    await removeHome(home);
    throw error;
  }

  const handle = {
    browser,
    home,
    dataDir,
    appLog: () => readFile(appLog, "utf8").catch(() => ""),
    async screenshot(name) {
      await mkdir(SCREENSHOTS, { recursive: true });
      const file = path.join(SCREENSHOTS, `${name}.png`);
      // WebKit screenshots show the last painted frame, which can predate the latest DOM
      // change; wait for two frames so the picture matches what the test just asserted.
      await browser.executeAsync((done) => {
        requestAnimationFrame(() => requestAnimationFrame(() => done()));
      });
      await browser.saveScreenshot(file);
      return file;
    },
    /**
     * Ends the session and the app (as a user closing the window), then starts the app again
     * in the same home and data folder. `browser` is the new session afterwards.
     */
    async restart() {
      await endSession(browser, pidFile);
      browser = await startSession(launcher, port);
      handle.browser = browser;
      return browser;
    },
    async close() {
      await endSession(browser, pidFile);
      if (!process.env.E2E_KEEP_TMP) {
        await removeHome(home);
      }
    },
  };
  return handle;
}

function startSession(launcher, port) {
  return remote({
    hostname: "127.0.0.1",
    port,
    logLevel: "warn",
    connectionRetryCount: 0,
    capabilities: {
      browserName: "wry",
      // WebKitWebDriver speaks classic WebDriver only; without this webdriverio asks for
      // BiDi and the session is refused ("Failed to match capabilities").
      "wdio:enforceWebDriverClassic": true,
      "tauri:options": { application: launcher },
    },
  });
}

async function endSession(browser, pidFile) {
  try {
    await browser.deleteSession();
  } catch {
    // The app may already be gone; the pid below still gets cleaned up.
  }
  await killApp(pidFile);
}

/**
 * Removes a test's home. The app's WebKit processes can outlive the killed app for a moment and
 * still write into it (the shader cache), so a plain recursive remove can meet a folder that
 * was just refilled (ENOTEMPTY); `rm` retries those errors with a delay.
 */
async function removeHome(home) {
  await rm(home, { recursive: true, force: true, maxRetries: 20, retryDelay: 100 });
}

async function killApp(pidFile) {
  const pid = Number((await readFile(pidFile, "utf8").catch(() => "")).trim());
  if (!Number.isInteger(pid) || pid <= 0) return;
  for (const signal of ["SIGTERM", "SIGKILL"]) {
    try {
      process.kill(pid, signal);
    } catch {
      return; // already exited
    }
    for (let i = 0; i < 20; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      try {
        process.kill(pid, 0);
      } catch {
        return;
      }
    }
  }
}

/** Waits until the window reports it is ready (the shell's `app-ready` marker). */
export async function waitForReady(browser) {
  const ready = await browser.$('[data-testid="app-ready"]');
  await ready.waitForExist({ timeout: 20_000, timeoutMsg: "the app never reported app-ready" });
}

/**
 * Runs in the page: the first displayed element with the given role whose accessible name
 * matches. Names are computed the way assistive technology does for the cases the UI uses:
 * aria-labelledby, aria-label, <label> (for= or wrapping), a fieldset's legend, then the text.
 */
function findByRole(role, name, within) {
  if (typeof within === "string") {
    within = document.querySelector(within);
    if (within === null) return null;
  }
  const implicit = {
    button: 'button, input[type="button"], input[type="submit"]',
    textbox: 'input:not([type]), input[type="text"], input[type="tel"], input[type="email"], input[type="url"], input[type="search"], textarea',
    combobox: "select",
    radio: 'input[type="radio"]',
    checkbox: 'input[type="checkbox"]:not([role])',
    tab: "",
    switch: "",
    group: "fieldset",
    link: "a[href]",
    alert: "",
    status: "",
    list: "ul, ol",
    listitem: "li",
    heading: "h1, h2, h3, h4, h5, h6",
    dialog: "dialog",
    region: "section[aria-label], section[aria-labelledby]",
    form: "form[aria-label], form[aria-labelledby]",
    toolbar: "",
    tablist: "",
    tabpanel: "",
    row: "tr",
    columnheader: "th[scope=col]",
  }[role];
  const root = within ?? document;
  const candidates = [
    ...root.querySelectorAll(`[role="${role}"]${implicit ? `, ${implicit}` : ""}`),
  ].filter((el) => {
    const explicit = el.getAttribute("role");
    return explicit === null || explicit === role;
  });
  const text = (el) => (el?.textContent ?? "").replace(/\s+/g, " ").trim();
  const accessibleName = (el) => {
    const labelledBy = el.getAttribute("aria-labelledby");
    if (labelledBy) {
      return labelledBy
        .split(/\s+/)
        .map((id) => text(document.getElementById(id)))
        .join(" ")
        .trim();
    }
    const label = el.getAttribute("aria-label");
    if (label) return label.trim();
    if (el.labels && el.labels.length > 0) return [...el.labels].map(text).join(" ").trim();
    if (el.tagName === "FIELDSET") return text(el.querySelector("legend"));
    if (el.tagName === "INPUT" || el.tagName === "SELECT" || el.tagName === "TEXTAREA") {
      return (el.getAttribute("placeholder") ?? "").trim();
    }
    return text(el);
  };
  const matches = (value) =>
    typeof name === "string" ? value === name : new RegExp(name.source, name.flags).test(value);
  const shown = (el) => el.getClientRects().length > 0;
  return candidates.find((el) => shown(el) && matches(accessibleName(el))) ?? null;
}

const nameArg = (name) => (name instanceof RegExp ? { source: name.source, flags: name.flags } : name);

/**
 * The element with this role and accessible name (a string, exact, or a RegExp), waiting for it
 * to appear. `within` is an element to search inside.
 */
export async function byRole(browser, role, name, { within, timeout = 15_000 } = {}) {
  let found = null;
  // A CSS selector is looked up afresh on every try: React may have replaced the element.
  const scope = within === undefined ? null : typeof within === "string" ? within : await within;
  await browser.waitUntil(
    async () => {
      found = await browser.execute(findByRole, role, nameArg(name), scope);
      return found !== null;
    },
    { timeout, interval: 100, timeoutMsg: `no ${role} named ${String(name)} appeared` },
  );
  return browser.$(found);
}

/** Whether an element with this role and name is shown now (no waiting). */
export async function hasRole(browser, role, name, { within } = {}) {
  const scope = within === undefined ? null : typeof within === "string" ? within : await within;
  return (await browser.execute(findByRole, role, nameArg(name), scope)) !== null;
}

/**
 * The text of what a control's aria-describedby points at: its hint and problems, the words
 * shown next to it. Empty when it points at nothing.
 */
export async function describedText(browser, element) {
  const el = await element;
  return browser.execute((node) => {
    const ids = (node.getAttribute("aria-describedby") ?? "").split(/\s+/).filter(Boolean);
    return ids
      .map((id) => document.getElementById(id)?.textContent ?? "")
      .join(" ")
      .replace(/\s+/g, " ")
      .trim();
  }, el);
}

/** The text on the X clipboard of the app's display, read as another program would. */
export function readClipboard() {
  return new Promise((resolve, reject) => {
    execFile("xclip", ["-selection", "clipboard", "-o"], { env: process.env, timeout: 10_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`xclip failed: ${stderr || error.message}`));
      else resolve(stdout);
    });
  });
}

/** Runs a command line with the real bash; resolves with its exit status and output. */
export function runBash(command) {
  return new Promise((resolve) => {
    execFile("bash", ["-c", command], { env: process.env, timeout: 60_000 }, (error, stdout, stderr) => {
      const status = error ? (typeof error.code === "number" ? error.code : -1) : 0;
      resolve({ status, stdout, stderr });
    });
  });
}

/**
 * An element's text content, whitespace collapsed. Unlike WebDriver's getText it does not
 * depend on the element being inside the visible part of a scrolled panel.
 */
export async function textOf(browser, element) {
  // A CSS selector is looked up in the page now, so a re-rendered element is never stale.
  const el = typeof element === "string" ? element : await element;
  return browser.execute((node) => {
    const found = typeof node === "string" ? document.querySelector(node) : node;
    return (found?.textContent ?? "").replace(/\s+/g, " ").trim();
  }, el);
}

/** Closes the notifications (toasts) shown now, so they cover nothing the test clicks next. */
export async function dismissToasts(browser) {
  for (const close of await browser.$$('[aria-label="Notifications"] button[aria-label="Close notification"]')) {
    try {
      await close.click();
    } catch {
      // It closed by itself meanwhile.
    }
  }
}

/** Clicks a control as a user would: scrolled to the middle of its panel, no toast over it. */
export async function press(browser, element) {
  const el = await element;
  await dismissToasts(browser);
  await el.scrollIntoView({ block: "center" });
  await el.click();
}

/**
 * The input whose <label> reads `label` (exact), waiting for it: for inputs with no ARIA role,
 * such as a password field.
 */
export async function byLabel(browser, label, { timeout = 15_000 } = {}) {
  let found = null;
  await browser.waitUntil(
    async () => {
      found = await browser.execute((text) => {
        const labels = [...document.querySelectorAll("label")].filter(
          (l) => l.getClientRects().length > 0 && (l.textContent ?? "").replace(/\s+/g, " ").trim() === text,
        );
        return labels.map((l) => l.control).find((c) => c !== null) ?? null;
      }, label);
      return found !== null;
    },
    { timeout, interval: 100, timeoutMsg: `no field labelled ${label} appeared` },
  );
  return browser.$(found);
}

/** A free TCP port on 127.0.0.1 (nothing listens on it once this resolves). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * A process's /proc/PID/stat: its `comm` name and the fields after it, from the state on
 * (`fields[0]` is field 3 of proc(5): the parent pid is `fields[1]`, user and system CPU time
 * `fields[11]` and `fields[12]`, the start time `fields[19]`). Null once the process is gone.
 */
export async function procStat(pid) {
  const stat = await readFile(`/proc/${pid}/stat`, "utf8").catch(() => null);
  if (stat === null) return null;
  // The name is in parentheses and may hold spaces or parentheses itself: it ends at the last ")".
  const close = stat.lastIndexOf(")");
  return { name: stat.slice(stat.indexOf("(") + 1, close), fields: stat.slice(close + 2).split(" ") };
}

/** Every process on the machine: pid -> its `comm` name and parent pid (from /proc). */
export async function processTable() {
  const table = new Map();
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await procStat(entry);
    if (stat === null) continue;
    table.set(Number(entry), { name: stat.name, ppid: Number(stat.fields[1]) });
  }
  return table;
}

/**
 * `rootPid` and every process below it (the app and its WebKit processes), parents first; from
 * `table` when the caller already read one.
 */
export async function processTree(rootPid, table) {
  table ??= await processTable();
  const tree = [rootPid];
  for (let i = 0; i < tree.length; i += 1) {
    for (const [pid, { ppid }] of table) if (ppid === tree[i]) tree.push(pid);
  }
  return tree;
}
