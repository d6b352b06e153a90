// The store in the real window: opened at start-up in the test's own data folder, and a
// bad studio.db answered with a notice that moves it aside, keeping every byte.

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { access, readdir, readFile, rmdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { byRole, describedText, launchApp, press, readClipboard } from "./harness.mjs";

const MOVE = "Move it aside and start fresh";

async function waitForReady(browser) {
  const ready = await browser.$('[data-testid="app-ready"]');
  await ready.waitForExist({ timeout: 15_000, timeoutMsg: "the app never reported app-ready" });
}

async function storeItemText(browser) {
  const item = await browser.$('[data-testid="status-store"]');
  await item.waitForExist({ timeout: 5_000, timeoutMsg: "the status line never showed the store" });
  return item.getText();
}

describe("a fresh data folder", () => {
  let app;

  before(async () => {
    app = await launchApp();
  });

  after(async () => {
    await app?.close();
  });

  it("opens studio.db and shows it in the status line", async () => {
    const { browser } = app;
    await waitForReady(browser);

    assert.equal(await storeItemText(browser), "studio.db · 0 bots");
    assert.equal(await browser.$('[role="alert"]').isExisting(), false);
    await access(path.join(app.dataDir, "studio.db"));
    // Opened in WAL mode: the fresh file is an SQLite database with our schema.
    const header = (await readFile(path.join(app.dataDir, "studio.db"))).subarray(0, 16);
    assert.equal(header.toString("latin1"), "SQLite format 3\0");
  });
});

describe("a studio.db of random bytes", () => {
  let app;
  const original = randomBytes(8192);

  before(async () => {
    app = await launchApp({
      prepareDataDir: (dataDir) => writeFile(path.join(dataDir, "studio.db"), original),
    });
  });

  after(async () => {
    await app?.close();
  });

  it("shows a notice naming the file, still with a working window", async () => {
    const { browser } = app;
    await waitForReady(browser);

    const notice = await browser.$('[role="alert"]');
    await notice.waitForExist({ timeout: 5_000, timeoutMsg: "no notice for the bad file" });
    const dbPath = path.join(app.dataDir, "studio.db");
    assert.equal(await browser.$('[data-testid="store-notice-path"]').getText(), dbPath);
    const message = await browser.$('[data-testid="store-notice-message"]').getText();
    assert.match(message, /is not a Webhook Studio database/);
    assert.ok(message.includes(dbPath), message);
    assert.equal(await storeItemText(browser), "studio.db · not opened");
    assert.equal(await browser.$(`button=${MOVE}`).isEnabled(), true);
    // The file was left as it was.
    assert.ok((await readFile(dbPath)).equals(original), "the bad file was changed");

    await app.screenshot("store-damaged");
  });

  it("moves it aside with its bytes intact and starts a fresh store", async () => {
    const { browser } = app;
    await browser.$(`button=${MOVE}`).click();

    const kept = await browser.$('[data-testid="store-kept-at"]');
    await kept.waitForExist({ timeout: 5_000, timeoutMsg: "the app never said where the old file went" });
    await browser.$('[role="alert"]').waitForExist({ reverse: true, timeout: 5_000 });

    const broken = (await readdir(app.dataDir)).filter((name) => /^studio\.db\.broken-\d+$/.test(name));
    assert.equal(broken.length, 1, `moved-aside files: ${broken.join(", ")}`);
    const keptPath = path.join(app.dataDir, broken[0]);
    assert.ok((await readFile(keptPath)).equals(original), "the moved file's bytes changed");
    assert.match(await kept.getText(), new RegExp(`The old file was kept at ${keptPath.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`));

    const fresh = await readFile(path.join(app.dataDir, "studio.db"));
    assert.equal(fresh.subarray(0, 16).toString("latin1"), "SQLite format 3\0");
    assert.equal(await storeItemText(browser), "studio.db · 0 bots");
    assert.equal(await browser.$("h1").getText(), "Bots");
    // The dashboard reads the fresh store, not what the damaged file answered at start.
    await browser.$("h2=No bots yet").waitForExist({ timeout: 5_000, timeoutMsg: "no empty state for the fresh store" });
    assert.doesNotMatch(await browser.$("main").getText(), /Could not read the bots/);

    await app.screenshot("store-moved-aside");
  });
});

describe("a data folder that is a file", () => {
  let app;

  before(async () => {
    app = await launchApp({
      prepareDataDir: async (dataDir) => {
        await rmdir(dataDir);
        await writeFile(dataDir, "not a folder");
      },
    });
  });

  after(async () => {
    await app?.close();
  });

  it("still opens the window and says the store cannot be opened, with nothing to move", async () => {
    const { browser } = app;
    await waitForReady(browser);

    const notice = await browser.$('[role="alert"]');
    await notice.waitForExist({ timeout: 5_000, timeoutMsg: "no notice for the missing folder" });
    assert.equal(await browser.$("h1").getText(), "Your bots file could not be opened");
    const message = await browser.$('[data-testid="store-notice-message"]').getText();
    assert.ok(message.startsWith(app.dataDir), message);
    assert.equal(await browser.$(`button=${MOVE}`).isExisting(), false);
    assert.equal(await readFile(app.dataDir, "utf8"), "not a folder");
  });
});

describe("a studio.db written by a newer Webhook Studio", () => {
  let app;
  let before_;
  const repo = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../..");
  const cli = path.join(process.env.CARGO_TARGET_DIR ?? path.join(repo, "target"), "debug", "webhook-studio");

  before(async () => {
    app = await launchApp({
      prepareDataDir: async (dataDir) => {
        const db = path.join(dataDir, "studio.db");
        // A real store with a bot in it (the CLI closes it checkpointed), then its header's
        // user_version (bytes 60-63, big-endian) set to a schema this build does not know.
        execFileSync(cli, ["import", "--db", db, path.join(repo, "assets/examples/order-received-alert.bot.json")], {
          stdio: "pipe",
        });
        const bytes = await readFile(db);
        bytes.writeUInt32BE(99, 60);
        await writeFile(db, bytes);
        before_ = bytes;
      },
    });
  });

  after(async () => {
    await app?.close();
  });

  it("opens it read-only, says why, offers no edit, still opens and copies, and leaves the file as it was", async () => {
    const { browser } = app;
    await waitForReady(browser);

    const banner = await browser.$('[data-testid="store-read-only"]');
    await banner.waitForExist({ timeout: 5_000, timeoutMsg: "no read-only notice for a newer file" });
    assert.match(await banner.getText(), /newer/i);
    assert.match(await banner.getText(), /opened, copied from and exported/);
    assert.equal(await storeItemText(browser), "studio.db · 1 bot · read-only");
    assert.equal(await browser.$('[role="contentinfo"] .status-state').getText(), "Read-only", "the status line still says Ready");

    // The bot is there to read; nothing on the dashboard offers to change the file.
    const card = await browser.$('[data-testid="bot-card-shop-orders"]');
    await card.waitForExist({ timeout: 5_000 });
    for (const name of ["New bot", "Import bot…", "Use template Order received alert"]) {
      assert.equal(await (await byRole(browser, "button", name)).isEnabled(), false, `${name} is offered`);
    }
    for (const name of ["Rename", "Duplicate", "Delete"]) {
      const button = await byRole(browser, "button", `${name} Shop order alerts`, { within: card });
      assert.equal(await button.isEnabled(), false, `${name} is offered`);
    }
    await app.screenshot("store-newer-version");

    // The builder shows the flow and the block's panel, with Submit off and why.
    await press(browser, byRole(browser, "button", "Open Shop order alerts", { within: card }));
    const block = await browser.$('[data-testid="block-order-webhook"]');
    await block.waitForExist({ timeout: 15_000, timeoutMsg: "the bot did not open" });
    const palette = await byRole(browser, "toolbar", "Add to the flow");
    assert.equal(await (await byRole(browser, "button", "Add webhook block", { within: palette })).isEnabled(), false);
    await press(browser, block);
    const panel = await browser.$('[data-testid="webhook-panel"]');
    await panel.waitForExist({ timeout: 15_000, timeoutMsg: "the block's panel did not open" });
    const submit = await byRole(browser, "button", "Submit", { within: panel });
    await browser.waitUntil(async () => (await describedText(browser, submit)).includes("read-only"), {
      timeout: 5_000,
      timeoutMsg: "Submit does not say the file is read-only",
    });
    assert.equal(await submit.isEnabled(), false);
    assert.equal(await (await byRole(browser, "combobox", "Select Channel", { within: panel })).isEnabled(), false);
    assert.equal(await (await byRole(browser, "button", "Rotate token", { within: panel })).isEnabled(), false);
    const url = await (await byRole(browser, "textbox", "Webhook URL", { within: panel })).getValue();
    await press(browser, byRole(browser, "button", "Copy Webhook URL", { within: panel }));
    await browser.waitUntil(async () => (await readClipboard().catch(() => "")) === url, {
      timeout: 10_000,
      timeoutMsg: "the Webhook URL was not copied",
    });
    await app.screenshot("store-newer-version-panel");

    assert.ok((await readFile(path.join(app.dataDir, "studio.db"))).equals(before_), "a newer file was written to");
  });
});
