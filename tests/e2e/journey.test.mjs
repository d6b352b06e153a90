// The designer's journey through the real window, from nothing to a webhook that answers real
// curl, and all of it still there after the app is closed and started again:
//   Dashboard: a new bot -> open it -> add a webhook block -> its no-channel warning -> the
//   Channels page: connect WhatsApp with an account -> back to the block -> type, channel,
//   account, two mappings, contact -> copy the URL, the token and the Development cURL (read
//   back from the real X clipboard) -> listen -> run the cURL with bash: 404 while a draft ->
//   Submit -> run it again: 202, the request and its variables in the panel -> restart.
// The steps depend on each other, so they run in order in one describe; a failed step makes
// the later ones fail too, and the first failure is the one to read.

import assert from "node:assert/strict";
import net from "node:net";
import { after, afterEach, before, describe, it } from "node:test";
import {
  byRole,
  describedText,
  hasRole,
  launchApp,
  press,
  readClipboard,
  runBash,
  textOf,
  waitForReady,
} from "./harness.mjs";

const BOT = "Shop alerts";
const ACCOUNT = "Support line";
const ACCOUNT_PHONE = "+1 415 555 0100";
const CONTACT = "+14155550123";
const ROWS = [
  { data: "data.name", variable: "customer_name" },
  { data: "data.order_id", variable: "order_id" },
];
const LONG = { timeout: 20_000 };

async function openBlockOnCanvas(browser, name) {
  const card = await browser.$(
    `//div[contains(@class,"block-card")]//span[contains(@class,"block-card-name")][normalize-space()="${name}"]`,
  );
  await card.waitForDisplayed({ ...LONG, timeoutMsg: `no block named ${name} on the canvas` });
  // The canvas may still be placing its nodes when the page opens: click until the panel opens.
  await browser.waitUntil(
    async () => {
      await card.click().catch(() => {});
      return browser.$('[data-testid="webhook-panel"]').isDisplayed();
    },
    { ...LONG, interval: 500, timeoutMsg: `clicking ${name} on the canvas did not open its panel` },
  );
  return panel(browser);
}

async function panel(browser) {
  const found = await browser.$('[data-testid="webhook-panel"]');
  await found.waitForDisplayed({ ...LONG, timeoutMsg: "the webhook panel did not open" });
  return found;
}

const PANEL = '[data-testid="webhook-panel"]';
const STATUS = `${PANEL} .block-panel-header .badge`;
const row = (n) => `${PANEL} li[aria-label="Row ${String(n)}"]`;

async function waitForText(browser, element, predicate, what) {
  const el = await element;
  let last = "";
  try {
    await browser.waitUntil(
      async () => {
        last = await textOf(browser, el);
        return predicate(last);
      },
      { ...LONG, timeoutMsg: what },
    );
  } catch (error) {
    throw new Error(`${what}; it shows: ${JSON.stringify(last)}`, { cause: error });
  }
  return last;
}

/** Whether a mapping row shows the "new" mark next to its Set Variable. */
function marksNew(browser, n) {
  return browser.execute(
    (sel) => [...(document.querySelector(sel)?.querySelectorAll("*") ?? [])].some((el) => el.children.length === 0 && el.textContent.trim() === "new"),
    row(n),
  );
}

/** A free TCP port on 127.0.0.1 for the development receiver, so no other program is in the way. */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

async function waitForValue(element, expected, what) {
  const el = await element;
  let last = "";
  await el.waitUntil(
    async () => {
      last = await el.getValue();
      return last === expected;
    },
    { ...LONG, timeoutMsg: `${what}: expected ${JSON.stringify(expected)}, it holds ${JSON.stringify(last)}` },
  );
}

/** Copies with a button and waits until the X clipboard holds something other than `before`. */
async function copyAndRead(browser, button, before) {
  await press(browser, button);
  let text = before;
  await browser.waitUntil(
    async () => {
      text = await readClipboard().catch(() => before);
      return text !== before && text !== "";
    },
    { ...LONG, timeoutMsg: "the clipboard never changed after the copy" },
  );
  return text;
}

/** Runs the copied cURL with bash; answers curl's exit status, the HTTP status and the body. */
async function runCurl(command) {
  const run = await runBash(`${command.trim()} --silent --show-error --write-out '\\n%{http_code}'`);
  const lines = run.stdout.split("\n");
  const code = Number(lines.pop());
  const bodyText = lines.join("\n");
  let body = null;
  try {
    body = JSON.parse(bodyText);
  } catch {
    // Left null: the assertions below show the text.
  }
  return { ...run, code, bodyText, body };
}

async function capturedItems(browser) {
  return browser.$$('ul[aria-label="Captured requests"] > li');
}

describe("the designer's journey", () => {
  let app;
  const seen = {};

  before(async () => {
    app = await launchApp();
    await waitForReady(app.browser);
  });

  after(async () => {
    await app?.close();
  });

  // E2E_DEBUG=1: the window as each step left it, to see why a step failed.
  let step = 0;
  afterEach(async () => {
    step += 1;
    if (process.env.E2E_DEBUG) await app?.screenshot(`debug-journey-step-${String(step)}`).catch(() => {});
  });

  it("sets a free development port in Settings, so no other program is in the receiver's way", async () => {
    const { browser } = app;
    seen.port = await freePort();
    await (await byRole(browser, "button", "Settings")).click();
    const field = await byRole(browser, "textbox", "Development receiver port");
    await field.click();
    await browser.keys(["Control", "a"]);
    await browser.keys("Backspace");
    await field.addValue(String(seen.port));
    await browser.keys("Enter");
    await browser.waitUntil(async () => (await field.getAttribute("aria-invalid")) !== "true" && (await field.getValue()) === String(seen.port), LONG);
    await (await byRole(browser, "button", "Dashboard")).click();
  });

  it("creates a bot from nothing on the Dashboard and opens it", async () => {
    const { browser } = app;
    await (await byRole(browser, "heading", "No bots yet")).waitForDisplayed();
    await app.screenshot("journey-dashboard-empty");

    await (await byRole(browser, "button", "New bot")).click();
    const dialog = await byRole(browser, "dialog", "New bot");
    await (await byRole(browser, "textbox", "Bot name", { within: dialog })).setValue(BOT);
    await (await byRole(browser, "button", "Create bot", { within: dialog })).click();

    // Creating opens the builder; go back to see the bot on the dashboard and open it there.
    await browser.$('[data-testid="builder"]').waitForDisplayed(LONG);
    assert.equal(await textOf(browser, browser.$('[data-testid="builder"] h1')), BOT);
    await (await byRole(browser, "button", "Bots")).click();
    const card = await byRole(browser, "listitem", BOT);
    await waitForText(browser, card, (t) => t.includes("No channel connected"), "the new bot's card warns of no channel");
    assert.match(await textOf(browser, card), /0 webhook blocks · 0 submitted/);
    await app.screenshot("journey-dashboard");

    await (await byRole(browser, "button", `Open ${BOT}`)).click();
    await browser.$('[data-testid="builder"]').waitForDisplayed(LONG);
    assert.equal(await textOf(browser, browser.$('[data-testid="builder"] h1')), BOT);
  });

  it("adds a webhook block from the palette, opens it and sees the no-channel warning", async () => {
    const { browser } = app;
    const palette = await byRole(browser, "toolbar", "Add to the flow");
    await (await byRole(browser, "button", "Add webhook block", { within: palette })).click();
    let found = await panel(browser);
    seen.blockName = await (await byRole(browser, "textbox", "Block name", { within: PANEL })).getValue();
    assert.ok(seen.blockName.length > 0, "the new block has a name");

    // Close the panel and open the block from the canvas, as a designer coming back to it would.
    await (await byRole(browser, "button", "Close panel")).click();
    await found.waitForDisplayed({ reverse: true, ...LONG });
    found = await openBlockOnCanvas(browser, seen.blockName);
    assert.equal(await textOf(browser, STATUS), "Draft");

    const warning = await byRole(browser, "alert", /no connected channel/, { within: PANEL });
    assert.match(await textOf(browser, warning), /This bot has no connected channel/);
    const submit = await byRole(browser, "button", "Submit", { within: PANEL });
    assert.equal(await submit.isEnabled(), false, "Submit is disabled without a channel");
    await app.screenshot("journey-webhook-no-channel");
  });

  it("follows the warning to the Channels page and connects WhatsApp with an account", async () => {
    const { browser } = app;
    await press(browser, byRole(browser, "button", "Open the Channels page"));
    await waitForText(browser, browser.$("h1"), (t) => t === "Channels", "the Channels page did not open");
    await byRole(browser, "button", `Back to ${seen.blockName}`);

    const whatsapp = await byRole(browser, "listitem", "WhatsApp");
    const integration = await byRole(browser, "switch", "WhatsApp integration", { within: whatsapp });
    assert.equal(await integration.isSelected(), false, "WhatsApp starts off");
    await (await byRole(browser, "button", "Connect a WhatsApp account", { within: whatsapp })).click();
    const form = await byRole(browser, "form", "Connect a WhatsApp account");
    await (await byRole(browser, "textbox", "Account name", { within: form })).setValue(ACCOUNT);
    await (await byRole(browser, "textbox", "Phone number", { within: form })).setValue(ACCOUNT_PHONE);
    await app.screenshot("journey-channels-connect-form");
    await (await byRole(browser, "button", "Connect account", { within: form })).click();

    const accounts = await byRole(browser, "list", "WhatsApp accounts", { within: whatsapp });
    await waitForText(browser, accounts, (t) => t.includes(ACCOUNT), "the account is listed");
    seen.accountText = await textOf(browser, accounts);
    assert.match(seen.accountText, /support-line/, "the alias is made from the name");
    assert.equal(await integration.isSelected(), true, "connecting an account turns the integration on");
    await waitForText(browser, whatsapp, (t) => t.includes("Connected"), "the card says Connected");
    await app.screenshot("journey-channels");
  });

  it("comes back to the block with the warning gone", async () => {
    const { browser } = app;
    await (await byRole(browser, "button", `Back to ${seen.blockName}`)).click();
    const found = await panel(browser);
    assert.equal(
      await (await byRole(browser, "textbox", "Block name", { within: PANEL })).getValue(),
      seen.blockName,
    );
    await browser.waitUntil(async () => !(await hasRole(browser, "alert", /no connected channel/)), {
      ...LONG,
      timeoutMsg: "the no-channel warning is still shown",
    });
  });

  it("fills the form: type, channel, account, two mappings (new variables) and the contact", async () => {
    const { browser } = app;
    const found = await panel(browser);

    const types = await byRole(browser, "group", "Select Webhook Type", { within: PANEL });
    const conversational = await byRole(browser, "radio", /^Conversational/, { within: types });
    await press(browser, conversational);
    await browser.waitUntil(() => conversational.isSelected(), { ...LONG, timeoutMsg: "Conversational not chosen" });

    const channel = await byRole(browser, "combobox", "Select Channel", { within: PANEL });
    await channel.selectByVisibleText("WhatsApp");
    await waitForValue(channel, "whatsapp", "Select Channel");
    const account = await byRole(browser, "combobox", "Select Account", { within: PANEL });
    await browser.waitUntil(() => account.isEnabled(), { ...LONG, timeoutMsg: "Select Account stays disabled" });
    await account.selectByVisibleText(`${ACCOUNT} (+14155550100)`);
    await waitForValue(account, "support-line", "Select Account");

    const addRow = await byRole(browser, "button", "Add row", { within: PANEL });
    for (const [i, mapping] of ROWS.entries()) {
      await press(browser, addRow);
      const group = row(i + 1);
      await (await byRole(browser, "group", `Row ${String(i + 1)}`, { within: PANEL })).scrollIntoView({ block: "center" });
      await (await byRole(browser, "textbox", "Data", { within: group })).setValue(mapping.data);
      const variable = await byRole(browser, "textbox", "Set Variable", { within: group });
      await variable.setValue(mapping.variable);
      // A variable the bot does not have yet is marked new; Submit creates it.
      await browser.waitUntil(() => marksNew(browser, i + 1), {
        ...LONG,
        timeoutMsg: `row ${String(i + 1)} does not mark ${mapping.variable} as new`,
      });
    }

    const contact = await byRole(browser, "textbox", "Contact Reference ID", { within: PANEL });
    await contact.setValue(CONTACT);
    await waitForValue(contact, CONTACT, "Contact Reference ID");
    // Leave the field so it counts as touched, and let the autosave answer.
    await press(browser, byRole(browser, "textbox", "Webhook URL", { within: PANEL }));
    const submit = await byRole(browser, "button", "Submit", { within: PANEL });
    await browser.waitUntil(() => submit.isEnabled(), {
      ...LONG,
      timeoutMsg: `Submit stays disabled: ${await describedText(browser, submit)}`,
    });
    assert.equal(await contact.getAttribute("aria-invalid"), "false");
    await app.screenshot("journey-webhook-panel");
  });

  it("copies the Webhook URL, the token and the Development cURL to the real clipboard", async () => {
    const { browser } = app;
    const found = await panel(browser);
    let clipboard = "";

    const url = await byRole(browser, "textbox", "Webhook URL", { within: PANEL });
    const production = await url.getValue();
    assert.match(production, /^https?:\/\/\S+$/);
    clipboard = await copyAndRead(browser, await byRole(browser, "button", "Copy Webhook URL", { within: PANEL }), clipboard);
    assert.equal(clipboard, production, "the copied URL is the one in the field");

    await press(
      browser,
      byRole(browser, "button", "Development", {
        within: await byRole(browser, "group", "Environment of the Webhook URL", { within: PANEL }),
      }),
    );
    await browser.waitUntil(async () => (await url.getValue()) !== production, LONG);
    seen.developmentUrl = await url.getValue();
    assert.ok(seen.developmentUrl.startsWith(`http://127.0.0.1:${String(seen.port)}/`), seen.developmentUrl);
    clipboard = await copyAndRead(browser, await byRole(browser, "button", "Copy Webhook URL", { within: PANEL }), clipboard);
    assert.equal(clipboard, seen.developmentUrl, "the copied development URL is the one in the field");

    const token = await byRole(browser, "textbox", "Authorization Token", { within: PANEL });
    const masked = await token.getValue();
    assert.ok(masked.includes("•"), `the token is masked: ${masked}`);
    const reveal = await byRole(browser, "button", "Reveal", { within: PANEL });
    await press(browser, reveal);
    await browser.waitUntil(async () => (await token.getValue()) !== masked, { ...LONG, timeoutMsg: "Reveal showed nothing" });
    seen.token = await token.getValue();
    assert.match(seen.token, /^whs_[A-Za-z0-9_-]{40,}$/);
    assert.equal(await reveal.getAttribute("aria-pressed"), "true");
    // Read at once: a copied token is cleared from the clipboard after a while.
    clipboard = await copyAndRead(browser, await byRole(browser, "button", "Copy token", { within: PANEL }), clipboard);
    assert.equal(clipboard, seen.token, "the copied token is the revealed one");
    await app.screenshot("journey-token-revealed");
    await press(browser, reveal);
    await browser.waitUntil(async () => (await token.getValue()) === masked, { ...LONG, timeoutMsg: "the token was not masked again" });

    const curl = await byRole(browser, "region", "Sample Curl Request", { within: PANEL });
    await press(browser, byRole(browser, "tab", "Development", { within: curl }));
    const shownCurl = await waitForText(browser, 
      curl.$('[role="tabpanel"] pre'),
      (t) => t.includes(seen.developmentUrl),
      "the Development tab shows the development URL",
    );
    assert.ok(!shownCurl.includes(seen.token), "the shown cURL does not show the token");
    clipboard = await copyAndRead(browser, await byRole(browser, "button", "Copy cURL", { within: curl }), clipboard);
    seen.curl = clipboard;
    assert.ok(seen.curl.includes(seen.developmentUrl), seen.curl);
    assert.ok(seen.curl.includes(`Authorization: Bearer ${seen.token}`), "the copied cURL carries the real token");
    assert.match(seen.curl, /"channel":\s*"whatsapp"/, "pre-filled with the channel alias");
    assert.match(seen.curl, /"account":\s*"support-line"/, "pre-filled with the account alias");
    await app.screenshot("journey-curl-development");
  });

  it("listens, and the copied cURL run by bash gets 404 'never submitted' while the block is a draft", async () => {
    const { browser } = app;
    const found = await panel(browser);
    const listen = await byRole(browser, "button", "Listen for test request", { within: PANEL });
    await press(browser, listen);
    await byRole(browser, "status", /Waiting for a request/, { within: PANEL }).catch(async (error) => {
      const alerts = await textOf(browser, `${PANEL} .live-test`);
      throw new Error(`listening did not start: ${alerts}`, { cause: error });
    });
    assert.equal(await listen.getAttribute("aria-pressed"), "true");

    const answer = await runCurl(seen.curl);
    assert.equal(answer.status, 0, `curl exit status (stderr: ${answer.stderr})`);
    assert.equal(answer.code, 404, answer.bodyText);
    assert.match(answer.bodyText, /never submitted/);

    await browser.waitUntil(async () => (await capturedItems(browser)).length === 1, {
      ...LONG,
      timeoutMsg: "the 404 never showed in the panel",
    });
    assert.equal(await textOf(browser, 'ul[aria-label="Captured requests"] > li:first-child .status-code'), "404");
    // Brought into view, with the reason on its summary line: the designer sees the answer
    // without scrolling or opening it.
    await browser.waitUntil(
      () =>
        browser.execute((panelSelector) => {
          const item = document.querySelector('ul[aria-label="Captured requests"] > li:first-child')?.getBoundingClientRect();
          const scroller = document.querySelector(panelSelector)?.closest(".panel-host");
          const view = scroller?.getBoundingClientRect();
          // Not under the Submit bar, which stays at the panel's bottom.
          const bar = document.querySelector(`${panelSelector} .submit-bar`)?.getBoundingClientRect();
          return item !== undefined && view !== undefined && bar !== undefined && item.top >= view.top && item.bottom <= bar.top;
        }, PANEL),
      { ...LONG, timeoutMsg: "the 404 is in the list but out of sight" },
    );
    assert.match(await textOf(browser, 'ul[aria-label="Captured requests"] > li:first-child .captured-message'), /never submitted/);
    await app.screenshot("journey-captured-404");
  });

  it("submits, and the same cURL now gets 202 with the variables, shown in the panel", async () => {
    const { browser } = app;
    const found = await panel(browser);
    await press(browser, byRole(browser, "button", "Submit", { within: PANEL }));
    await waitForText(browser, STATUS, (t) => t === "Submitted", "the block is not Submitted");
    // Both rows' variables now belong to the bot: no longer marked new.
    for (const i of [1, 2]) {
      await browser.waitUntil(async () => !(await marksNew(browser, i)), {
        ...LONG,
        timeoutMsg: `row ${String(i)} is still marked new after Submit`,
      });
    }

    const answer = await runCurl(seen.curl);
    assert.equal(answer.status, 0, `curl exit status (stderr: ${answer.stderr})`);
    assert.equal(answer.code, 202, `after Submit the listener must serve the submitted block: ${answer.bodyText}`);
    assert.equal(answer.body?.accepted, true, answer.bodyText);
    const variables = answer.body.variables;
    seen.variables = variables;
    assert.deepEqual(Object.keys(variables).sort(), ROWS.map((r) => r.variable).sort(), answer.bodyText);

    await browser.waitUntil(async () => (await capturedItems(browser)).length === 2, {
      ...LONG,
      timeoutMsg: "the accepted request never showed in the panel",
    });
    const newest = 'ul[aria-label="Captured requests"] > li:first-child';
    const summary = await browser.$(`${newest} > button[aria-expanded]`);
    assert.equal(await textOf(browser, `${newest} .status-code`), "202");
    await press(browser, summary);
    const details = await waitForText(browser, newest, (t) => t.includes("Headers"), "the request's details did not open");
    assert.match(details, /authorization/i);
    assert.ok(!details.includes(seen.token), "the captured headers mask the token");
    for (const mapping of ROWS) {
      const value = JSON.stringify(variables[mapping.variable]);
      assert.ok(
        details.includes(`${mapping.data} → ${mapping.variable}: ${value}`),
        `the panel shows ${mapping.variable} = ${value}:\n${details}`,
      );
    }
    await (await browser.$(newest)).scrollIntoView({ block: "center" });
    await app.screenshot("journey-captured-request");
  });

  it("finds everything as it was after the app is closed and started again", async () => {
    const browser = await app.restart();
    await waitForReady(browser);
    const card = await byRole(browser, "listitem", BOT);
    await waitForText(browser, card, (t) => /1 webhook block · 1 submitted/.test(t), "the bot's card after the restart");
    assert.match(await textOf(browser, card), /WhatsApp/);
    await app.screenshot("journey-dashboard-after-restart");

    await (await byRole(browser, "button", `Open ${BOT}`)).click();
    const found = await openBlockOnCanvas(browser, seen.blockName);
    await waitForText(browser, STATUS, (t) => t === "Submitted", "the status after the restart");
    assert.equal(await (await byRole(browser, "radio", /^Conversational/, { within: PANEL })).isSelected(), true);
    assert.equal(await (await byRole(browser, "combobox", "Select Channel", { within: PANEL })).getValue(), "whatsapp");
    assert.equal(await (await byRole(browser, "combobox", "Select Account", { within: PANEL })).getValue(), "support-line");
    for (const [i, mapping] of ROWS.entries()) {
      const group = row(i + 1);
      assert.equal(await (await byRole(browser, "textbox", "Data", { within: group })).getValue(), mapping.data);
      assert.equal(await (await byRole(browser, "textbox", "Set Variable", { within: group })).getValue(), mapping.variable);
    }
    assert.equal(await (await byRole(browser, "textbox", "Contact Reference ID", { within: PANEL })).getValue(), CONTACT);
    const token = await byRole(browser, "textbox", "Authorization Token", { within: PANEL });
    await press(browser, byRole(browser, "button", "Reveal", { within: PANEL }));
    await browser.waitUntil(async () => (await token.getValue()) === seen.token, {
      ...LONG,
      timeoutMsg: "the token changed across the restart",
    });
    // The captured requests were kept too.
    await browser.waitUntil(async () => (await capturedItems(browser)).length === 2, {
      ...LONG,
      timeoutMsg: "the captured requests were not kept across the restart",
    });
    const newest = 'ul[aria-label="Captured requests"] > li:first-child';
    const summary = await browser.$(`${newest} > button[aria-expanded]`);
    assert.equal(await textOf(browser, `${newest} .status-code`), "202");
    await press(browser, summary);
    const details = await waitForText(browser, newest, (t) => t.includes("Headers"), "the kept request's details did not open");
    assert.ok(!details.includes(seen.token), "the kept headers mask the token");
    for (const mapping of ROWS) {
      const value = JSON.stringify(seen.variables?.[mapping.variable]);
      assert.ok(
        details.includes(`${mapping.data} → ${mapping.variable}: ${value}`),
        `the kept request shows ${mapping.variable} = ${value}:\n${details}`,
      );
    }
    await app.screenshot("journey-webhook-after-restart");
  });
});
