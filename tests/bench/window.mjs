// `make bench`'s window benchmarks, driven through tauri-driver (run.sh provides the display and
// the driver; the e2e harness launches each window in its own temporary home). Writes one JSON
// file of raw samples; webhook-bench turns them into ratios in BENCHMARKS.md.
//
// 1. Cold start: from the WebDriver new-session request (which launches the process) until
//    - the floor (a bare Tauri window, empty page): the page has loaded;
//    - the app: dashboard bot card -> builder -> webhook block node -> the panel's
//      "Webhook URL" input has a value.
//    Then, after the same settling time, PSS and RSS summed over the process tree (the app and
//    its WebKit processes), and the CPU time the tree used while it settled.
// 2. A flow of 500 blocks against the same flow with 10: time from the click on the bot's Open
//    button until every node the canvas shows is rendered and stays put, and from the click on
//    the webhook block until its panel's "Webhook URL" input has a value. Both are timed inside
//    the page from the real (WebDriver) click event to the frame where the condition holds.
//
// 3. Memory by step: the same journey in another window, its process tree's PSS read after the
//    same settling time at each step (dashboard, builder, webhook panel); not timed.
//
// Floor and app runs are interleaved so that both meet the same machine; one warm-up run of
// each is discarded. Environment: WEBHOOK_STUDIO_APP, WEBHOOK_FLOOR_APP, WEBHOOK_STUDIO_CLI,
// TAURI_DRIVER_PORT, BENCH_OUT (the JSON file), BENCH_RUNS (default 15), BENCH_PARTS (default
// "start,memory,flow"; "start" alone skips the memory by step and the 500-block flow, for
// working on the cold start).
//
// Where the time goes: after each cold start has been timed and its memory read (so that
// nothing here is inside either figure), the run also collects when each step happened, in
// milliseconds from the new-session request: the process's start (/proc), the app's own
// timing lines (WEBHOOK_STUDIO_TIMINGS: main, setup, each IPC command on the Rust side), the
// page's navigation and paint entries and its `performance.mark`s (its resource entries too, but
// WebKit records none for the app's tauri: and ipc: requests), and the moments this client
// found and clicked each element.

import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { launchApp, processTable, processTree, procStat, REPO_ROOT } from "../e2e/harness.mjs";

const run = promisify(execFile);
// Fifteen: with five or nine runs the median moved by more than the goal's margin from one
// `make bench` to the next (9 runs gave 1.48x and then 1.62x on the same build, on the machine's
// loopback, whose 40 ms TCP stalls run.sh now leaves out).
const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const PARTS = new Set((process.env.BENCH_PARTS ?? "start,memory,flow").split(","));
/** Time the process tree gets to settle after the condition, before its memory is read. */
const SETTLE_MS = 3000;
const EXAMPLE = path.join(REPO_ROOT, "assets/examples/welcome-on-sign-up.bot.json");
const WEBHOOK_ID = "signup-webhook";

function required(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run tests/bench/run.sh`);
  return value;
}

const APP = required("WEBHOOK_STUDIO_APP");
const FLOOR = required("WEBHOOK_FLOOR_APP");
const CLI = required("WEBHOOK_STUDIO_CLI");
const OUT = required("BENCH_OUT");

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Waits until the page shows `what` (a CSS selector that matches, or one of the named states in
 * `waitForPageState`), checked inside the page: at
 * once, on every change to the DOM and every 5 ms. The answer is one WebDriver call, so the wait
 * adds one trip back to this client, not a round trip per check: a poll over WebDriver goes
 * through tauri-driver, WebKitWebDriver, the window's process and its web process, and costs
 * 10-40 ms on a 2-core machine where the window is starting, taking CPU from it each time. A
 * page that navigates meanwhile is asked again. Returns this client's clock when the answer
 * arrived (`at`), the wall clock in the page when the condition was first seen to hold
 * (`heldEpoch`, ms since the epoch) and, for a selector, the element it matched (a WebDriver
 * reference, to click without asking the page to find it again).
 */
async function pageShows(browser, what, timeoutMs = 20_000) {
  const start = performance.now();
  for (;;) {
    try {
      const held = await browser.executeAsync(waitForPageState, what, timeoutMs);
      if (held !== null) return { at: performance.now(), heldEpoch: held.epoch, element: held.element };
      throw new Error(`timed out after ${timeoutMs} ms waiting for the page to show ${what}`);
    } catch (error) {
      // The script's page went away under it (the window's first navigation): ask the new one.
      if (performance.now() - start > timeoutMs || !/navigat|unload|context|frame/i.test(String(error))) throw error;
    }
  }
}

/**
 * Runs in the page: once `what` holds, calls `done` with the wall clock (ms since the epoch) and,
 * for a selector, the element; with null after `timeoutMs`.
 */
function waitForPageState(what, timeoutMs, done) {
  const states = {
    // The floor's page has loaded.
    "floor loaded": () => location.protocol === "tauri:" && document.readyState === "complete",
    // The panel's "Webhook URL" input has a value (found through its label, as a person would).
    "webhook url": () => {
      const label = [...document.querySelectorAll("label")].find((l) => l.textContent.trim() === "Webhook URL");
      const input = label && document.getElementById(label.htmlFor);
      return Boolean(input && input.value);
    },
  };
  // The journey's clicks as the page receives them, for the steps (`Steps.collect`): each mouse
  // event's dispatch, in the capture phase before any of the page's handlers, and the moment
  // WebKit stamped it (`timeStamp`). Installed once per document, by the first wait.
  if (window.__benchInput === undefined) {
    window.__benchInput = [];
    for (const type of ["mousedown", "mouseup", "click"]) {
      window.addEventListener(
        type,
        (event) => {
          const origin = performance.timeOrigin;
          window.__benchInput.push({ type, dispatched: origin + performance.now(), stamped: origin + event.timeStamp });
        },
        true,
      );
    }
  }
  const holds = states[what] ?? (() => document.querySelector(what) !== null);
  const held = () => ({
    epoch: performance.timeOrigin + performance.now(),
    element: what in states ? null : document.querySelector(what),
  });
  if (holds()) {
    done(held());
    return;
  }
  let finished = false;
  const finish = (result) => {
    if (finished) return;
    finished = true;
    observer.disconnect();
    clearInterval(every);
    clearTimeout(limit);
    done(result);
  };
  const check = () => {
    if (holds()) finish(held());
  };
  const observer = new MutationObserver(check);
  observer.observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
  // An input's value or the document's readiness change no node: a cheap check in the page catches them.
  const every = setInterval(check, 5);
  const limit = setTimeout(() => finish(null), timeoutMs);
}

// ---- the process tree and its memory ----

/** The app's pid and every descendant, with PSS and RSS in KiB from smaps_rollup. */
async function treeMemory(rootPid) {
  const table = await processTable();
  const processes = [];
  for (const pid of await processTree(rootPid, table)) {
    const rollup = await readFile(`/proc/${pid}/smaps_rollup`, "utf8").catch(() => null);
    if (rollup === null) continue;
    const field = (name) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, "m").exec(rollup)?.[1] ?? 0);
    // The program's name from its command line (`comm` is cut at 15 characters); the window's
    // own process is named by its role, so that the app's and the floor's line up.
    const argv0 = (await readFile(`/proc/${pid}/cmdline`, "utf8").catch(() => "")).split("\0")[0];
    const name = pid === rootPid ? "the window's process" : path.basename(argv0) || table.get(pid)?.name || "?";
    const entry = { pid, name, pssKiB: field("Pss"), rssKiB: field("Rss") };
    if (name === "WebKitWebProcess") entry.pssKinds = await pssKinds(pid);
    processes.push(entry);
  }
  return {
    pssKiB: processes.reduce((sum, p) => sum + p.pssKiB, 0),
    rssKiB: processes.reduce((sum, p) => sum + p.rssKiB, 0),
    processes,
  };
}

/**
 * CPU time (user and system) the process tree has used so far, in ms, from /proc/PID/stat (in
 * the kernel's 10 ms clock ticks). Read before and after the settling time, it says whether the
 * window keeps working when nothing happens: an animation, a poll, a fade WebKit draws.
 */
async function treeCpuMs(rootPid) {
  let ticks = 0;
  for (const pid of await processTree(rootPid)) {
    const stat = await procStat(pid);
    if (stat !== null) ticks += Number(stat.fields[11]) + Number(stat.fields[12]);
  }
  return ticks * 10;
}

/** Waits the settling time; answers the CPU time the process tree used meanwhile, in ms. */
async function settle(pid) {
  const before = await treeCpuMs(pid);
  await sleep(SETTLE_MS);
  return (await treeCpuMs(pid)) - before;
}

/**
 * PSS in KiB by kind of mapping (/proc/PID/smaps): anonymous memory (the JavaScript heap, malloc,
 * the page's layers and tiles when they are drawn in software), libraries' code and data,
 * shared memory (frames shared with the window's process), other files.
 */
async function pssKinds(pid) {
  const smaps = await readFile(`/proc/${pid}/smaps`, "utf8").catch(() => "");
  const kinds = {};
  let kind = null;
  for (const line of smaps.split("\n")) {
    const header = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (header) {
      const name = header[1];
      if (name === "" || name.startsWith("[anon") || name === "[heap]" || name.startsWith("[stack")) kind = "anonymous";
      else if (name.startsWith("/memfd:") || name.startsWith("/dev/shm/") || name.startsWith("/SYSV")) kind = "shared memory";
      else if (name.startsWith("/dev/dri/")) kind = "GPU device";
      else if (/\.so(\.|$)/.test(name)) kind = "libraries";
      else if (name.startsWith("[")) kind = "kernel";
      else kind = "other files";
      continue;
    }
    const pss = /^Pss:\s+(\d+) kB/.exec(line);
    if (pss && kind) kinds[kind] = (kinds[kind] ?? 0) + Number(pss[1]);
  }
  return kinds;
}

/**
 * Ends the window and waits until its WebKit processes have exited too. They outlive the window's
 * own process by a moment; a window started meanwhile would share their library pages, and read a
 * lower PSS and a busier machine than a window started alone. Nothing else in this session runs
 * WebKit, so any web or network process left is the last window's.
 */
async function closeWindow(app) {
  await app.close();
  const deadline = performance.now() + 10_000;
  for (;;) {
    const left = [...(await processTable()).values()].filter(({ name }) => name.startsWith("WebKitWebProc") || name.startsWith("WebKitNetworkP"));
    if (left.length === 0) return;
    if (performance.now() > deadline) {
      console.error(`bench window: ${left.length} WebKit process(es) still running 10 s after the window closed; measuring anyway`);
      return;
    }
    await sleep(20);
  }
}

// ---- data folders ----

/** Imports `document` with the CLI into a fresh folder once; each run gets a copy of it. */
async function importedStore(name, document) {
  const dir = await mkdtemp(path.join(tmpdir(), `bench-store-${name}-`));
  const file = path.join(dir, `${name}.bot.json`);
  await writeFile(file, JSON.stringify(document, null, 2));
  await run(CLI, ["import", "--db", path.join(dir, "studio.db"), file]);
  return dir;
}

async function copyStore(from, to) {
  for (const entry of await readdir(from)) {
    if (entry.startsWith("studio.db")) await copyFile(path.join(from, entry), path.join(to, entry));
  }
}

/** The example bot with `total` blocks: its webhook block, then message blocks, in `lanes` sequences. */
function flowOf(example, total, lanes) {
  const document = structuredClone(example);
  const bot = document.bot;
  const webhook = bot.flows[0].sequences[0].blocks.find((block) => block.webhook);
  bot.id = `bench-${total}`;
  bot.name = `Bench ${total} blocks`;
  const blocks = [webhook];
  for (let i = 1; i < total; i += 1) {
    blocks.push({
      message: { id: `message-${i}`, name: `Message ${i}`, text: `Step ${i}: hi {customer_name}, about your {plan} plan.` },
    });
  }
  const perLane = Math.ceil(total / lanes);
  bot.flows = [
    {
      id: "bench",
      name: "Bench flow",
      sequences: Array.from({ length: lanes }, (_, lane) => ({
        id: `lane-${lane + 1}`,
        name: `Lane ${lane + 1}`,
        blocks: blocks.slice(lane * perLane, (lane + 1) * perLane),
      })),
    },
  ];
  return document;
}

// ---- one window ----

/**
 * The window's program, started with the app's timing lines on (src-tauri/src/timings.rs; the
 * floor has none): WebKitWebDriver starts it without this process's environment, so a two-line
 * wrapper sets the variable and execs the program (same pid, nothing else in between).
 */
async function withTimings(application) {
  const wrapper = path.join(tmpdir(), `timings-${path.basename(application)}.sh`);
  await writeFile(wrapper, `#!/bin/sh\nexport WEBHOOK_STUDIO_TIMINGS=1\nexec "${application}" "$@"\n`, { mode: 0o755 });
  return wrapper;
}

async function launch(application, store) {
  process.env.WEBHOOK_STUDIO_APP = await withTimings(application);
  let requestedAt = 0;
  let uptimeAtRequest = 0;
  let requestedWall = 0;
  const app = await launchApp({
    prepareDataDir: async (dataDir) => {
      if (store) await copyStore(store, dataDir);
      // launchApp sends the new-session request (which starts the process) right after this.
      uptimeAtRequest = Number(readFileSync("/proc/uptime", "utf8").split(" ")[0]);
      requestedAt = performance.now();
      requestedWall = Date.now();
    },
  });
  const sessionAt = performance.now();
  const pid = Number((await readFile(path.join(app.home, "app.pid"), "utf8")).trim());
  const steps = new Steps(requestedAt, requestedWall);
  steps.at("WebDriver session created", sessionAt);
  steps.processStart = await processStartSince(pid, uptimeAtRequest);
  return { app, requestedAt, pid, steps };
}

/** When `pid` started, in ms after the request (from /proc, to the kernel's 10 ms clock tick). */
async function processStartSince(pid, uptimeAtRequest) {
  const stat = await procStat(pid);
  if (stat === null) return null;
  const startTicks = Number(stat.fields[19]);
  return (startTicks / 100 - uptimeAtRequest) * 1000;
}

/** The moments of one run, in ms after the new-session request. */
class Steps {
  constructor(requestedAt, requestedWall) {
    this.requestedAt = requestedAt;
    // The wall clock read at the request, not worked out from this process's start
    // (`performance.timeOrigin`): this machine's wall clock is corrected while the bench runs
    // (hundreds of ms over a run), and the page's and the app's moments are on the wall clock now.
    this.requestedEpoch = requestedWall;
    this.processStart = null;
    this.list = [];
  }

  /** A moment on this client's clock (`performance.now()`). */
  at(name, now) {
    this.list.push({ name, ms: now - this.requestedAt });
  }

  /** A wait's answer (`pageShows`): when the page saw the condition hold, and when this client heard. */
  seen(name, shown) {
    this.atEpoch(`page: ${name}`, shown.heldEpoch);
    this.at(`client: ${name}`, shown.at);
  }

  /** A moment on the wall clock (ms since the epoch), as the page and the app report them. */
  atEpoch(name, epochMs, extra = {}) {
    this.list.push({ name, ms: epochMs - this.requestedEpoch, ...extra });
  }

  /** The page's own entries and the app's timing lines; after the measurement, never inside it. */
  async collect(browser, appLog) {
    if (this.processStart !== null) this.list.push({ name: "process started", ms: this.processStart });
    const page = await browser.execute(() => {
      const nav = performance.getEntriesByType("navigation")[0];
      return {
        timeOrigin: performance.timeOrigin,
        nav: nav && {
          responseEnd: nav.responseEnd,
          domInteractive: nav.domInteractive,
          domContentLoaded: nav.domContentLoadedEventEnd,
          load: nav.loadEventEnd,
        },
        paint: performance.getEntriesByType("paint").map((e) => ({ name: e.name, start: e.startTime })),
        input: window.__benchInput ?? [],
        marks: performance.getEntriesByType("mark").map((e) => ({ name: e.name, start: e.startTime })),
        resources: performance.getEntriesByType("resource").map((e) => ({
          name: e.name,
          start: e.startTime,
          end: e.responseEnd,
        })),
      };
    });
    const origin = page.timeOrigin;
    this.atEpoch("page: navigation started", origin);
    if (page.nav) {
      this.atEpoch("page: document received", origin + page.nav.responseEnd);
      this.atEpoch("page: DOM interactive", origin + page.nav.domInteractive);
      this.atEpoch("page: DOMContentLoaded", origin + page.nav.domContentLoaded);
      if (page.nav.load > 0) this.atEpoch("page: load", origin + page.nav.load);
    }
    for (const paint of page.paint) this.atEpoch(`page: ${paint.name}`, origin + paint.start);
    for (const mark of page.marks) this.atEpoch(`mark: ${mark.name}`, origin + mark.start);
    for (const input of page.input) {
      this.atEpoch(`page: ${input.type} stamped`, input.stamped);
      this.atEpoch(`page: ${input.type} dispatched`, input.dispatched);
    }
    for (const resource of page.resources) {
      // Scripts and stylesheets by their file's stem (index-HASH.js -> index.js); IPC by command.
      const url = new URL(resource.name);
      const ipc = url.protocol === "ipc:" || url.hostname === "ipc.localhost";
      const name = ipc
        ? `ipc ${decodeURIComponent(url.pathname.slice(1))}`
        : `load ${url.pathname.split("/").pop().replace(/-[\w-]{8}(\.\w+)$/, "$1")}`;
      this.atEpoch(`page: ${name} requested`, origin + resource.start);
      this.atEpoch(`page: ${name} answered`, origin + resource.end, { span: resource.end - resource.start });
    }
    for (const line of (await appLog()).split("\n")) {
      const timing = /timing (.+?) epoch_ms=([\d.]+)(?: ms=([\d.]+))?$/.exec(line);
      if (timing) this.atEpoch(`app: ${timing[1]}`, Number(timing[2]), timing[3] ? { span: Number(timing[3]) } : {});
    }
    this.list.sort((a, b) => a.ms - b.ms);
    // A step seen twice in one run (a command called again) keeps both, told apart.
    const seen = new Map();
    for (const step of this.list) {
      const count = (seen.get(step.name) ?? 0) + 1;
      seen.set(step.name, count);
      if (count > 1) step.name = `${step.name} (${count})`;
    }
    return this.list;
  }
}

const OPEN_BUTTON = '[data-testid^="bot-"] button[aria-label^="Open "]';
const WEBHOOK_NODE = `[data-testid="block-${WEBHOOK_ID}"]`;

/** The web element identifier (W3C WebDriver): the key under which an answer carries an element. */
const ELEMENT_KEY = "element-6066-11e4-a52e-4f735466cecf";

/**
 * Clicks the element a `pageShows` wait matched: WebDriver's Element Click, the request
 * `$(element).click()` ends in, sent as webdriverio's protocol command. Wrapping the reference
 * in a webdriverio element first (`browser.$`) builds an object that binds every element
 * command: about 12 ms of this client's CPU per click against 3 ms for the request alone
 * (20 clicks on an idle window, `process.cpuUsage`). On a 2-core machine whose other core the
 * window's compositor thread is using at that moment, that CPU is taken from the page being
 * timed.
 */
async function clickShown(browser, shown) {
  const elementId = shown.element?.[ELEMENT_KEY];
  if (typeof elementId !== "string") throw new Error(`the page answered no element to click: ${JSON.stringify(shown.element)}`);
  await browser.elementClick(elementId);
}

async function clickOpenBot(browser, steps) {
  const shown = await pageShows(browser, OPEN_BUTTON);
  steps.seen("Open button shown", shown);
  await clickShown(browser, shown);
  steps.at("client: Open clicked", performance.now());
}

async function floorStart() {
  const { app, requestedAt, pid, steps } = await launch(FLOOR);
  try {
    const shown = await pageShows(app.browser, "floor loaded");
    steps.seen("page loaded", shown);
    const ready = shown.at;
    const settledCpuMs = await settle(pid);
    const memory = await treeMemory(pid);
    return { ms: ready - requestedAt, memory, settledCpuMs, steps: await steps.collect(app.browser, app.appLog) };
  } finally {
    await closeWindow(app);
  }
}

async function appStart(store) {
  const { app, requestedAt, pid, steps } = await launch(APP, store);
  try {
    const { browser } = app;
    await clickOpenBot(browser, steps);
    const node = await pageShows(browser, WEBHOOK_NODE);
    steps.seen("webhook node shown", node);
    await clickShown(browser, node);
    steps.at("client: webhook node clicked", performance.now());
    const shown = await pageShows(browser, "webhook url");
    steps.seen("Webhook URL shown", shown);
    const ready = shown.at;
    const settledCpuMs = await settle(pid);
    const memory = await treeMemory(pid);
    return { ms: ready - requestedAt, memory, settledCpuMs, steps: await steps.collect(browser, app.appLog) };
  } finally {
    await closeWindow(app);
  }
}

/**
 * Memory at each step of the same journey, each read after the same settling time: the
 * dashboard with its bots, the builder with the canvas, the webhook panel open. Not timed (the
 * waits would be inside the cold start); it says which step the memory comes with.
 */
async function memorySteps(store) {
  const { app, pid } = await launch(APP, store);
  try {
    const { browser } = app;
    const steps = [];
    const open = await pageShows(browser, OPEN_BUTTON);
    await sleep(SETTLE_MS);
    steps.push({ step: "dashboard", memory: await treeMemory(pid) });
    await clickShown(browser, open);
    const node = await pageShows(browser, WEBHOOK_NODE);
    await sleep(SETTLE_MS);
    steps.push({ step: "builder", memory: await treeMemory(pid) });
    await clickShown(browser, node);
    await pageShows(browser, "webhook url");
    await sleep(SETTLE_MS);
    steps.push({ step: "webhook panel", memory: await treeMemory(pid) });
    return steps;
  } finally {
    await closeWindow(app);
  }
}

// ---- in-page timing of one click ----

/**
 * Installs, in the page, a watcher that notes the time of the next click (capture phase, before
 * the app's handlers) and then checks `condition` on every DOM change and every frame. With
 * `stableMs`, the condition returns a signature of what is shown, and the time is that of the
 * first frame showing the final signature, once it has not changed for `stableMs`.
 */
async function armClickWatch(browser, kind, stableMs) {
  await browser.execute(
    (kind, stableMs) => {
      const conditions = {
        canvas() {
          // React Flow's canvas, or the outline of the same cards the builder falls back to when
          // the canvas cannot start; whichever the builder shows is what is timed.
          const viewport = document.querySelector('[data-testid="canvas"] .react-flow__viewport');
          const outline = document.querySelector('[data-testid="canvas-fallback"]');
          const renderer = viewport ? "canvas" : outline ? "outline" : null;
          if (renderer === null) return null;
          const nodes =
            renderer === "canvas"
              ? [...viewport.querySelectorAll(".react-flow__node")]
              : [...outline.querySelectorAll('[data-testid^="block-"]')];
          if (nodes.length === 0) return null;
          for (const node of nodes) {
            if (getComputedStyle(node).visibility === "hidden" || node.getBoundingClientRect().width === 0) return null;
          }
          const blockNodes = nodes.filter((n) => (n.getAttribute("data-testid") ?? "").startsWith("block-"));
          const blocks = blockNodes.length;
          // How many of those the person can see: inside the canvas's (or the outline's) box.
          const box = (viewport?.closest('[data-testid="canvas"]') ?? outline).getBoundingClientRect();
          const inView = blockNodes.filter((n) => {
            const r = n.getBoundingClientRect();
            return r.right > box.left && r.left < box.right && r.bottom > box.top && r.top < box.bottom;
          }).length;
          const ids = nodes.map((n) => n.getAttribute("data-testid")).join(",");
          const note = renderer === "outline" ? (outline.querySelector(".inline-error")?.textContent ?? "") : "";
          return { signature: `${renderer}|${viewport?.style.transform ?? ""}|${ids}`, blocks, inView, renderer, note };
        },
        panel() {
          const label = [...document.querySelectorAll("label")].find((l) => l.textContent.trim() === "Webhook URL");
          const input = label && document.getElementById(label.htmlFor);
          return input && input.value ? { signature: "shown", blocks: 0 } : null;
        },
      };
      const condition = conditions[kind];
      const watch = { clickAt: null, since: null, signature: null, blocks: 0, inView: 0, renderer: null, note: "", doneAt: null };
      window.__benchWatch = watch;
      const check = () => {
        if (watch.clickAt === null || watch.doneAt !== null) return;
        const now = performance.now();
        const seen = condition();
        const signature = seen?.signature ?? null;
        if (signature !== watch.signature) {
          watch.signature = signature;
          watch.since = now;
          watch.blocks = seen?.blocks ?? 0;
          watch.inView = seen?.inView ?? 0;
          watch.renderer = seen?.renderer ?? null;
          watch.note = seen?.note ?? "";
        }
        if (signature !== null && now - watch.since >= stableMs) watch.doneAt = now;
      };
      document.addEventListener(
        "click",
        () => {
          watch.clickAt = performance.now();
          const observer = new MutationObserver(check);
          observer.observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
          const frame = () => {
            check();
            if (watch.doneAt === null) requestAnimationFrame(frame);
            else observer.disconnect();
          };
          requestAnimationFrame(frame);
        },
        { capture: true, once: true },
      );
    },
    kind,
    stableMs,
  );
}

/** Waits inside the page (one WebDriver call, no polling from here that would load the page). */
async function clickWatchResult(browser) {
  await browser.setTimeout({ script: 120_000 });
  const watch = await browser.executeAsync((done) => {
    const wait = () => {
      const watch = window.__benchWatch;
      if (watch.doneAt !== null) done(watch);
      else setTimeout(wait, 50);
    };
    wait();
  });
  return {
    ms: watch.since - watch.clickAt,
    blocksRendered: watch.blocks,
    blocksInView: watch.inView,
    renderer: watch.renderer,
    note: watch.note,
  };
}

async function flowRun(store) {
  const { app } = await launch(APP, store);
  try {
    const { browser } = app;
    const open = await pageShows(browser, OPEN_BUTTON);
    await sleep(500); // the dashboard settles: the click meets an idle page in every run
    await armClickWatch(browser, "canvas", 500);
    await clickShown(browser, open);
    const canvas = await clickWatchResult(browser);
    const node = await pageShows(browser, WEBHOOK_NODE);
    await armClickWatch(browser, "panel", 0);
    await clickShown(browser, node);
    const select = await clickWatchResult(browser);
    return {
      canvasMs: canvas.ms,
      blocksRendered: canvas.blocksRendered,
      blocksInView: canvas.blocksInView,
      renderer: canvas.renderer,
      note: canvas.note,
      selectMs: select.ms,
    };
  } finally {
    await closeWindow(app);
  }
}

// ---- the run ----

const example = JSON.parse(await readFile(EXAMPLE, "utf8"));
const flows = PARTS.has("flow");
const stores = {
  example: await importedStore("example", example),
  ...(flows && {
    small: await importedStore("flow-10", flowOf(example, 10, 5)),
    large: await importedStore("flow-500", flowOf(example, 500, 5)),
  }),
};

/**
 * This machine's CPU time so far, from /proc/stat's first line, in clock ticks: all of it, and
 * what the host took from it ("steal": a virtual machine's CPUs running someone else's work).
 */
function cpuClock() {
  const fields = readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/).slice(1).map(Number);
  return { total: fields.slice(0, 8).reduce((sum, n) => sum + n, 0), steal: fields[7] ?? 0 };
}

/** The share of the CPU time between two `cpuClock` readings that the host took, 0 to 1. */
function stealShare(from, to) {
  return to.total > from.total ? (to.steal - from.steal) / (to.total - from.total) : 0;
}

const memory = PARTS.has("memory");
const result = { runs: RUNS, settleMs: SETTLE_MS, floor: [], app: [], memorySteps: [], flow10: [], flow500: [], steal: [] };
const benchStart = cpuClock();
for (let i = 0; i <= RUNS; i += 1) {
  const warmUp = i === 0;
  const runStart = cpuClock();
  const floor = await floorStart();
  const app = await appStart(stores.example);
  const steps = memory ? await memorySteps(stores.example) : null;
  const small = flows ? await flowRun(stores.small) : null;
  const large = flows ? await flowRun(stores.large) : null;
  const steal = stealShare(runStart, cpuClock());
  const label = warmUp ? "warm-up" : `run ${i}/${RUNS}`;
  console.error(
    `bench window ${label}: floor ${floor.ms.toFixed(0)} ms ${(floor.memory.pssKiB / 1024).toFixed(0)} MiB PSS; ` +
      `app ${app.ms.toFixed(0)} ms ${(app.memory.pssKiB / 1024).toFixed(0)} MiB PSS` +
      (flows
        ? `; canvas 10/500 ${small.canvasMs.toFixed(0)}/${large.canvasMs.toFixed(0)} ms; ` +
          `select 10/500 ${small.selectMs.toFixed(0)}/${large.selectMs.toFixed(0)} ms (${large.renderer})`
        : "") +
      `; host steal ${(steal * 100).toFixed(0)}%`,
  );
  if (warmUp) continue;
  result.steal.push(steal);
  result.floor.push(floor);
  result.app.push(app);
  if (memory) result.memorySteps.push(steps);
  if (flows) {
    result.flow10.push(small);
    result.flow500.push(large);
  }
}

result.stealShare = stealShare(benchStart, cpuClock());
// Which loopback the runs used (run.sh): a private one that acknowledges at once, or the machine's.
result.loopback = process.env.BENCH_LOOPBACK ?? null;

await mkdir(path.dirname(OUT), { recursive: true });
await writeFile(OUT, JSON.stringify(result, null, 2));
await Promise.all(Object.values(stores).map((dir) => rm(dir, { recursive: true, force: true })));
