// The real app window, driven through tauri-driver: it starts, loads its UI from the
// embedded assets, reaches Rust over IPC, and shows where it keeps its data.

import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { launchApp, workspaceVersion } from "./harness.mjs";

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
