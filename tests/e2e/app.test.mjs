// The real app window, driven through tauri-driver: it starts, loads its UI from the
// embedded assets, reaches Rust over IPC, and shows where it keeps its data.

import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { launchApp, processTree, workspaceVersion } from "./harness.mjs";

describe("the app window", () => {
  let app;

  before(async () => {
    app = await launchApp();
  });

  after(async () => {
    await app?.close();
  });

  it("shows the shell with the version and the data folder from Rust", async () => {
    const { browser } = app;
    const ready = await browser.$('[data-testid="app-ready"]');
    await ready.waitForExist({ timeout: 15_000, timeoutMsg: "the app never reported app-ready" });

    assert.equal(await browser.getTitle(), "Webhook Studio");
    assert.equal(
      await browser.$('[data-testid="status-version"]').getText(),
      `Version ${await workspaceVersion()}`,
    );
    assert.equal(await browser.$('[data-testid="status-data-dir"]').getText(), app.dataDir);
    assert.equal(await browser.$("h1").getText(), "Bots");

    await app.screenshot("dashboard");
  });

  it("creates the data folder and logs the finished page load", async () => {
    const { access } = await import("node:fs/promises");
    await access(app.dataDir);
    assert.match(await app.appLog(), /page-load finished window=main url=tauri:\/\/localhost/);
  });

  // webhook-renderer: where OpenGL can only be Mesa's software rasterizer (no GPU device, as on
  // this Xvfb machine), the window paints with Skia on the CPU; with a GPU, WebKit's default.
  it("paints on the CPU when the machine has no GPU device, turns off what only pays with a GPU, and says so in its log", async () => {
    const { access, readFile, readdir } = await import("node:fs/promises");
    const exists = (path) => access(path).then(() => true, () => false);
    const renderNodes = await readdir("/dev/dri").then(
      (entries) => entries.filter((entry) => entry.startsWith("renderD")),
      () => [],
    );
    const gpu = renderNodes.length > 0 || (await exists("/dev/nvidiactl")) || (await exists("/dev/dxg"));
    const webProcess = await childNamed(Number((await readFile(`${app.home}/app.pid`, "utf8")).trim()), "WebKitWebProcess");
    const environment = (await readFile(`/proc/${webProcess}/environ`, "utf8")).split("\0");
    if (gpu) {
      assert.ok(!environment.includes("WEBKIT_SKIA_ENABLE_CPU_RENDERING=1"), "a machine with a GPU keeps WebKit's default");
    } else {
      assert.ok(environment.includes("WEBKIT_SKIA_ENABLE_CPU_RENDERING=1"), "the web process paints on the CPU");
      const log = await app.appLog();
      assert.match(log, /painting on the CPU: no GPU device.*; WebKit features off: AsyncOverflowScrolling/);
      // The webview took the setting: a WebKit that could not would say why here.
      assert.doesNotMatch(log, /no feature named|older than 2\.42/);
    }
  });

  it("enforces the Content-Security-Policy: no eval", async () => {
    const outcome = await app.browser.execute(() => {
      try {
        return `evaluated ${String(eval("1 + 1"))}`;
      } catch (error) {
        return String(error);
      }
    });
    assert.match(outcome, /^EvalError: Refused to evaluate a string as JavaScript/);
  });

  it("moves between pages from the sidebar", async () => {
    const { browser } = app;
    const openPage = async (name) => {
      await browser.$(`button=${name}`).click();
      const heading = await browser.$("h1");
      await heading.waitUntil(async () => (await heading.getText()) === name, {
        timeout: 5_000,
        timeoutMsg: `${name} did not open`,
      });
    };

    await openPage("Channels");
    assert.equal(await browser.$("h2").getText(), "No bots yet", "a fresh store has no bot to connect");
    await app.screenshot("channels");

    await openPage("Settings");
    assert.equal(await browser.$("dd code").getText(), app.dataDir);
    await app.screenshot("settings");
  });
});

/** The pid of the first process named `name` (by its program) among `pid`'s descendants. */
async function childNamed(pid, name) {
  const { readFile } = await import("node:fs/promises");
  for (const candidate of await processTree(pid)) {
    const program = (await readFile(`/proc/${candidate}/cmdline`, "utf8").catch(() => "")).split("\0")[0];
    if (program.endsWith(`/${name}`)) return candidate;
  }
  throw new Error(`no ${name} under process ${pid}`);
}
