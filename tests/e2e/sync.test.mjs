// Remote sync in the real window against the real team server (`webhook-studio-server` on a free
// 127.0.0.1 port, a temporary SQLite database, its team made by `team create`), read and changed
// with real curl: Test connection's answer for each way it fails (a closed port, a wrong key,
// a server that is not ours, a later API version) and the bad inputs refused by their field; an
// edit that reaches the server and a teammate's change that reaches the canvas; and an edit made
// while the server was down that meets a change made on the server, shown side by side and
// resolved field by field; and an open panel that shows a teammate's change without being opened
// again; and a change the server refuses (a block id another team took), listed with the server's
// reason in Settings › Sync and dismissed.

import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { byLabel, byRole, describedText, dismissToasts, freePort, launchApp, press, textOf, waitForReady } from "./harness.mjs";
import { startForeignServer, startFutureServer, startTeamServer } from "./team-server.mjs";

const LONG = { timeout: 20_000 };
// Sync waits: a push after an edit, retries with backoff (up to a minute) while the server is down.
const SYNC = { timeout: 120_000, interval: 250 };
const TEAM = "Shop team";
const BOT = "Welcome on sign-up";
const BLOCK = "Sign-up form";
const ONLINE_CONTACT = "+14155550123";
const OFFLINE_CONTACT = "+14155550199";
const TEAMMATE_NAME = "Sign-up form (a teammate's name)";
const SERVER_NAME = "Sign-up form (renamed on the server)";
const TEAMMATE_CONTACT = "+14155550142";
const ORDER_BOT = "Order received alert";
const ORDER_BLOCK = "New order from the shop";

/** Replaces what a field holds as a user would (select all, delete, type). */
async function typeInto(browser, field, text) {
  await field.click();
  await browser.keys(["Control", "a"]);
  await browser.keys("Backspace");
  await field.addValue(text);
  await browser.waitUntil(async () => (await field.getValue()) === text, {
    ...LONG,
    timeoutMsg: `the field does not hold ${JSON.stringify(text)}`,
  });
}

async function pillText(browser) {
  return textOf(browser, '[data-testid="sync-pill"]');
}

async function waitForPill(browser, pattern, what) {
  let seen = "";
  await browser.waitUntil(
    async () => {
      seen = await pillText(browser);
      return pattern.test(seen);
    },
    { ...SYNC, timeoutMsg: `${what}: the sync pill never said ${String(pattern)} (it says ${JSON.stringify(seen)})` },
  );
  return seen;
}

/** The answer shown under Test connection after clicking it. */
async function testConnection(browser) {
  const answer = await browser.$('[data-testid="connection-answer"]');
  await press(browser, byRole(browser, "button", "Test connection"));
  let text = "";
  await browser.waitUntil(
    async () => {
      text = await textOf(browser, '[data-testid="connection-answer"]');
      return text !== "" && !(await hasButton(browser, "Testing…"));
    },
    { ...LONG, timeoutMsg: "Test connection never answered" },
  );
  assert.equal(await answer.getAttribute("role"), "status", "the answer is announced");
  return text;
}

async function hasButton(browser, name) {
  return browser.execute(
    (text) => [...document.querySelectorAll("button")].some((b) => (b.textContent ?? "").trim() === text),
    name,
  );
}

/** Waits until the field is marked invalid and the words next to it match. */
async function refusedNextTo(browser, field, pattern, what) {
  let text = "";
  await browser.waitUntil(
    async () => {
      text = await describedText(browser, field);
      return (await field.getAttribute("aria-invalid")) === "true" && pattern.test(text);
    },
    { ...LONG, timeoutMsg: `${what}: no message matching ${String(pattern)} next to it (it says ${JSON.stringify(text)})` },
  );
  return text;
}

async function openBlock(browser, name = BLOCK) {
  const card = await browser.$(
    `//div[contains(@class,"block-card")]//span[contains(@class,"block-card-name")][normalize-space()="${name}"]`,
  );
  await card.waitForDisplayed({ ...LONG, timeoutMsg: `no block named ${name} on the canvas` });
  await browser.waitUntil(
    async () => {
      await card.click().catch(() => {});
      return browser.$('[data-testid="webhook-panel"]').isDisplayed();
    },
    { ...LONG, interval: 500, timeoutMsg: `clicking ${BLOCK} did not open its panel` },
  );
  return browser.$('[data-testid="webhook-panel"]');
}

describe("remote sync with the team server", () => {
  let server;
  let foreign;
  let future;
  let app;
  const ids = {};

  before(async () => {
    server = await startTeamServer({ teamName: TEAM });
    foreign = await startForeignServer();
    future = await startFutureServer();
    app = await launchApp();
  });
  after(async () => {
    await app?.close();
    await foreign?.close();
    await future?.close();
    await server?.close();
  });

  /** The block as the server holds it, by real curl: its body and ETag. */
  async function serverBlock() {
    const answer = await server.curl("GET", `/v1/bots/${ids.bot}/blocks/${ids.block}`);
    assert.equal(answer.status, 200, `GET the block: ${JSON.stringify(answer.body)}`);
    return answer;
  }

  it("Test connection says why it cannot connect, each way; bad inputs are refused by their field", async () => {
    const { browser } = app;
    await waitForReady(browser);
    await (await byRole(browser, "button", `Use template ${BOT}`)).click();
    await browser.$('[data-testid="builder"]').waitForDisplayed(LONG);
    assert.equal(await pillText(browser), "Local only");

    await (await byRole(browser, "button", "Settings")).click();
    await (await byRole(browser, "radio", /^Remote API/)).click();
    const address = await byRole(browser, "textbox", "Server address");
    const key = await byLabel(browser, "API key");

    // Bad inputs: refused next to their field, what was typed kept, nothing saved.
    await typeInto(browser, address, "studio.example.com");
    await typeInto(browser, key, server.key);
    await press(browser, byRole(browser, "button", "Save"));
    await refusedNextTo(browser, address, /not a URL/, "an address without a scheme");
    assert.equal(await address.getValue(), "studio.example.com");

    await typeInto(browser, address, "http://studio.example.com");
    await press(browser, byRole(browser, "button", "Save"));
    await refusedNextTo(browser, address, /in the clear/, "plain http to another computer");

    await typeInto(browser, address, server.url);
    await typeInto(browser, key, "sk_live_1234567890");
    await press(browser, byRole(browser, "button", "Save"));
    await refusedNextTo(browser, key, /start with whsk_/, "a key of another service");
    assert.equal(await key.getValue(), "sk_live_1234567890", "the key typed stays");
    assert.equal(await pillText(browser), "Local only", "nothing was saved");

    // Each way the connection fails, in words.
    const closed = await freePort();
    await typeInto(browser, address, `http://127.0.0.1:${String(closed)}`);
    await typeInto(browser, key, server.key);
    let answer = await testConnection(browser);
    assert.match(answer, /^Cannot reach the server/, answer);

    await typeInto(browser, address, server.url);
    await typeInto(browser, key, `whsk_${"A".repeat(43)}`);
    answer = await testConnection(browser);
    assert.match(answer, /^The server refused the key/, answer);

    await typeInto(browser, address, foreign.url);
    await typeInto(browser, key, server.key);
    answer = await testConnection(browser);
    assert.match(answer, /^This is not a Webhook Studio server/, answer);

    await typeInto(browser, address, future.url);
    answer = await testConnection(browser);
    assert.match(answer, /^The server speaks another version/, answer);
    assert.match(answer, /Update Webhook Studio on this computer/, answer);

    await typeInto(browser, address, server.url);
    answer = await testConnection(browser);
    assert.match(answer, new RegExp(`^Connected to team '${TEAM}'`), answer);
    await dismissToasts(browser);
    await (await browser.$('[data-testid="sync-settings"]')).scrollIntoView({ block: "start" });
    await app.screenshot("settings-sync");

    // Saved: the key is shown masked only, and production URLs may use the server's address.
    await press(browser, byRole(browser, "button", "Save"));
    const replace = await byLabel(browser, "Replace key");
    assert.equal(await replace.getValue(), "");
    const section = await textOf(browser, '[data-testid="sync-settings"]');
    assert.ok(section.includes(`whsk_••••••••${server.key.slice(-4)}`), section);
    const shown = await browser.execute(
      (secret) =>
        document.body.innerText.includes(secret) || [...document.querySelectorAll("input")].some((i) => i.value === secret),
      server.key,
    );
    assert.equal(shown, false, "the key is nowhere in the window once saved");
    await press(browser, byRole(browser, "button", "Use the server’s address"));
    const apiBase = await byRole(browser, "textbox", "API base URL");
    await browser.waitUntil(async () => (await apiBase.getValue()) === server.url, {
      ...LONG,
      timeoutMsg: "the API base did not become the server's address",
    });

    await waitForPill(browser, /^Synced$/, "after saving the server");
    assert.equal(await textOf(browser, '[data-testid="connection-answer"]'), "", "the answer before saving is gone");
    await dismissToasts(browser);
    await (await browser.$('[data-testid="sync-settings"]')).scrollIntoView({ block: "start" });
    await app.screenshot("settings-sync-saved");
  });

  it("an edit reaches the server, and a teammate's change reaches the canvas", async () => {
    const { browser } = app;
    const bots = await server.curl("GET", "/v1/bots");
    assert.equal(bots.status, 200, JSON.stringify(bots.body));
    const list = Array.isArray(bots.body) ? bots.body : (bots.body.bots ?? []);
    ids.bot = list.find((bot) => bot.name === BOT)?.id;
    assert.ok(ids.bot, `the server lists the bot: ${JSON.stringify(bots.body)}`);
    const whole = await server.curl("GET", `/v1/bots/${ids.bot}`);
    const blocks = JSON.stringify(whole.body);
    ids.block = /"id":"([^"]+)","name":"Sign-up form"/.exec(blocks)?.[1];
    assert.ok(ids.block, `the server has the block: ${blocks}`);

    await (await byRole(browser, "button", "Dashboard")).click();
    await (await byRole(browser, "button", `Open ${BOT}`)).click();
    const panel = await openBlock(browser);
    const contact = await byRole(browser, "textbox", "Contact Reference ID", { within: panel });
    await typeInto(browser, contact, ONLINE_CONTACT);
    await browser.keys("Tab");

    await browser.waitUntil(
      async () => (await serverBlock()).body.webhook.form.contact_reference_id === ONLINE_CONTACT,
      { ...SYNC, timeoutMsg: "the edit never reached the server" },
    );
    await waitForPill(browser, /^Synced$/, "after the edit was sent");

    // A teammate renames the block on the server (real curl, If-Match): the canvas shows it.
    const now = await serverBlock();
    const renamed = structuredClone(now.body);
    renamed.webhook.name = TEAMMATE_NAME;
    const put = await server.curl("PUT", `/v1/bots/${ids.bot}/blocks/${ids.block}`, {
      headers: { "If-Match": now.headers.etag },
      body: renamed,
    });
    assert.equal(put.status, 200, `PUT the block: ${JSON.stringify(put.body)}`);
    const card = await browser.$(
      `//div[contains(@class,"block-card")]//span[contains(@class,"block-card-name")][normalize-space()="${TEAMMATE_NAME}"]`,
    );
    await card.waitForDisplayed({ ...SYNC, timeoutMsg: "the teammate's name never showed on the canvas" });
    await waitForPill(browser, /^Synced$/, "after the pull");
  });

  it("an edit made offline that meets a server change is a conflict, chosen field by field", async () => {
    const { browser } = app;
    await server.stop();
    const panel = await browser.$('[data-testid="webhook-panel"]');
    const contact = await byRole(browser, "textbox", "Contact Reference ID", { within: panel });
    await typeInto(browser, contact, OFFLINE_CONTACT);
    await browser.keys("Tab");
    await waitForPill(browser, /^Offline — retrying/, "with the server down");
    await app.screenshot("sync-offline");

    // Bring the server back while the app's next try is still seconds away, and change the same
    // block there first (real curl, If-Match): the app's edit is then based on a stale revision.
    await browser.waitUntil(
      async () => {
        const seconds = Number(/retrying in (\d+) s/.exec(await pillText(browser))?.[1] ?? 0);
        return seconds >= 3;
      },
      { ...SYNC, timeoutMsg: "the app never waited three seconds or more before its next try" },
    );
    await server.start();
    const before = await serverBlock();
    assert.equal(before.body.webhook.form.contact_reference_id, ONLINE_CONTACT, "the offline edit is not there yet");
    const changed = structuredClone(before.body);
    changed.webhook.name = SERVER_NAME;
    const put = await server.curl("PUT", `/v1/bots/${ids.bot}/blocks/${ids.block}`, {
      headers: { "If-Match": before.headers.etag },
      body: changed,
    });
    assert.equal(put.status, 200, `PUT the block: ${JSON.stringify(put.body)}`);

    // The app meets the conflict: nothing is overwritten on either side.
    const pill = await byRole(browser, "button", "1 conflict", SYNC);
    assert.equal((await serverBlock()).body.webhook.name, SERVER_NAME, "the server's change stands");
    await pill.click();
    await (await byRole(browser, "heading", "Sync conflicts")).waitForDisplayed(LONG);
    const title = `Block '${TEAMMATE_NAME}' in bot '${BOT}'`;
    const card = await byRole(browser, "region", title);

    const nameRow = await byRole(browser, "row", /^Name/, { within: card });
    const nameText = await textOf(browser, nameRow);
    assert.ok(nameText.includes(TEAMMATE_NAME) && nameText.includes(SERVER_NAME), nameText);
    const contactRow = await byRole(browser, "row", /^Form › Contact reference id/, { within: card });
    const contactText = await textOf(browser, contactRow);
    assert.ok(contactText.includes(OFFLINE_CONTACT) && contactText.includes(ONLINE_CONTACT), contactText);

    // Resolving with a difference left unchosen is refused, naming it.
    await press(browser, byRole(browser, "button", "Resolve", { within: card }));
    const refused = await byRole(browser, "alert", /^Choose which version of/, { within: card });
    assert.match(await textOf(browser, refused), /Choose which version of .+ to keep/);

    // Take the server's name, keep this computer's contact.
    await press(browser, byRole(browser, "button", "Take all theirs", { within: card }));
    await press(
      browser,
      byRole(browser, "radio", "Form › Contact reference id: keep the value on this computer", { within: card }),
    );
    await dismissToasts(browser);
    await (await byRole(browser, "heading", "Sync conflicts")).scrollIntoView({ block: "start" });
    await app.screenshot("conflict");
    await press(browser, byRole(browser, "button", "Resolve", { within: card }));
    await (await byRole(browser, "heading", "No conflicts")).waitForDisplayed(LONG);

    await browser.waitUntil(
      async () => {
        const now = (await serverBlock()).body.webhook;
        return now.name === SERVER_NAME && now.form.contact_reference_id === OFFLINE_CONTACT;
      },
      { ...SYNC, timeoutMsg: "the server never got the version chosen" },
    );
    await waitForPill(browser, /^Synced$/, "after resolving");
    assert.ok(!(await app.appLog()).includes(server.key), "the app's log never holds the API key");
    await dismissToasts(browser);
    await app.screenshot("conflict-resolved");
  });

  it("an open panel shows a teammate's change of its block without being opened again", async () => {
    const { browser } = app;
    await (await byRole(browser, "button", "Dashboard")).click();
    await (await byRole(browser, "button", `Open ${BOT}`)).click();
    const panel = await openBlock(browser, SERVER_NAME);
    const contact = await byRole(browser, "textbox", "Contact Reference ID", { within: panel });
    assert.equal(await contact.getValue(), OFFLINE_CONTACT);

    // A teammate changes the contact on the server (real curl, If-Match) while the panel is open.
    const now = await serverBlock();
    const changed = structuredClone(now.body);
    changed.webhook.form.contact_reference_id = TEAMMATE_CONTACT;
    const put = await server.curl("PUT", `/v1/bots/${ids.bot}/blocks/${ids.block}`, {
      headers: { "If-Match": now.headers.etag },
      body: changed,
    });
    assert.equal(put.status, 200, `PUT the block: ${JSON.stringify(put.body)}`);
    await browser.waitUntil(async () => (await contact.getValue()) === TEAMMATE_CONTACT, {
      ...SYNC,
      timeoutMsg: "the open panel never showed the teammate's contact",
    });
    await waitForPill(browser, /^Synced$/, "after the pull");
    assert.equal(
      (await serverBlock()).body.webhook.form.contact_reference_id,
      TEAMMATE_CONTACT,
      "the panel did not send its old form back over the teammate's change",
    );
  });

  it("a change the server refuses is listed in Settings › Sync with its reason, and dismissed", async () => {
    const { browser } = app;
    // Offline, the designer starts a bot from a template: its blocks wait to be sent.
    await server.stop();
    await (await byRole(browser, "button", "Dashboard")).click();
    await (await byRole(browser, "button", `Use template ${ORDER_BOT}`)).click();
    await browser.$('[data-testid="builder"]').waitForDisplayed(LONG);
    const panel = await openBlock(browser, ORDER_BLOCK);
    const url = await (await byRole(browser, "textbox", "Webhook URL", { within: panel })).getValue();
    const blockId = /\/([^/?#]+)$/.exec(url)?.[1];
    assert.ok(blockId, `the Webhook URL ends with the block's id: ${url}`);
    await waitForPill(browser, /^Offline — retrying/, "with the server down");
    await browser.waitUntil(
      async () => Number(/retrying in (\d+) s/.exec(await pillText(browser))?.[1] ?? 0) >= 3,
      { ...SYNC, timeoutMsg: "the app never waited three seconds or more before its next try" },
    );

    // Meanwhile another team on the server takes that block id (its own push, by real curl).
    const other = await server.createTeam("Another team");
    await server.start();
    const claim = await server.curl("POST", "/v1/sync/push", {
      as: other.key,
      body: {
        ops: [
          {
            op_id: "another-team:1",
            key: { bot: "bot-another-team", kind: "block", id: blockId },
            base_revision: null,
            body: { message: { id: blockId, name: "Taken first", text: "Hello" } },
          },
        ],
      },
    });
    assert.equal(claim.status, 200, JSON.stringify(claim.body));
    assert.equal(claim.body.results[0].outcome, "applied", JSON.stringify(claim.body));

    // The app's push of that block is refused: the pill says so and opens Settings.
    const pill = await byRole(browser, "button", "1 change refused", SYNC);
    await pill.click();
    const title = `Block '${ORDER_BLOCK}' in bot '${ORDER_BOT}'`;
    const refused = await byRole(browser, "listitem", title, LONG);
    const text = await textOf(browser, refused);
    assert.match(text, new RegExp(`block id "${blockId}" is already in use on this server`), text);
    assert.match(text, /Give this block a new id/, text);
    await refused.scrollIntoView({ block: "center" });
    await app.screenshot("sync-refused-change");

    // Dismissed, it is gone and the app's own copy of the bot is untouched.
    await (await byRole(browser, "button", "Dismiss", { within: refused })).click();
    await browser.waitUntil(async () => !(await refused.isExisting()), {
      ...LONG,
      timeoutMsg: "the dismissed change is still listed",
    });
    await waitForPill(browser, /^Synced$/, "once nothing refused is left");
    await (await byRole(browser, "button", "Dashboard")).click();
    await (await byRole(browser, "button", `Open ${ORDER_BOT}`)).click();
    await openBlock(browser, ORDER_BLOCK);
  });
});
