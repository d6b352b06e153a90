// The bad-input twins in the real window: each bad input on its own fresh data folder, its
// message shown next to its field (what the field's aria-describedby points at, with
// aria-invalid set), and what was typed still in the field, also after a restart.
// The WhatsApp ones start from the "Welcome on sign-up" template (WhatsApp, account
// "Acme welcome line" +14155550100, block "Sign-up form" mapping data.name, data.email, data.plan).

import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { byRole, describedText, launchApp, waitForReady } from "./harness.mjs";

const LONG = { timeout: 20_000 };
const TEMPLATE = "Welcome on sign-up";
const TEMPLATE_BLOCK = "Sign-up form";

async function panel(browser) {
  const found = await browser.$('[data-testid="webhook-panel"]');
  await found.waitForDisplayed({ ...LONG, timeoutMsg: "the webhook panel did not open" });
  return found;
}

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

/** A fresh app with the WhatsApp template's bot, its webhook block open. */
async function fromTemplate(app) {
  const { browser } = app;
  await waitForReady(browser);
  await (await byRole(browser, "button", `Use template ${TEMPLATE}`)).click();
  await browser.$('[data-testid="builder"]').waitForDisplayed(LONG);
  return openBlockOnCanvas(browser, TEMPLATE_BLOCK);
}

/** Replaces what a field holds as a user would (select all, delete, type), then leaves it. */
async function typeInto(browser, field, text) {
  await field.click();
  await browser.keys(["Control", "a"]);
  await browser.keys("Backspace");
  await field.addValue(text);
  await browser.waitUntil(async () => (await field.getValue()) === text, {
    ...LONG,
    timeoutMsg: `the field does not hold ${JSON.stringify(text)}`,
  });
  // Leaving the field marks it touched, so its problems show.
  await browser.keys("Tab");
}

/** Waits until the field is marked invalid and its described-by text matches; returns that text. */
async function problemNextTo(browser, field, pattern, what) {
  let text = "";
  await browser.waitUntil(
    async () => {
      text = await describedText(browser, field);
      return (await field.getAttribute("aria-invalid")) === "true" && pattern.test(text);
    },
    { ...LONG, timeoutMsg: `${what}: no message matching ${String(pattern)} next to the field (it says ${JSON.stringify(text)})` },
  );
  return text;
}

/** The rendered element the field's aria-describedby points at (its problem list). */
async function problemElement(browser, field) {
  const ids = ((await field.getAttribute("aria-describedby")) ?? "").split(/\s+/).filter(Boolean);
  const problems = [];
  for (const id of ids) {
    const el = await browser.$(`[id="${id}"]`);
    if ((await el.isExisting()) && (await el.getAttribute("class"))?.includes("field-problems")) problems.push(el);
  }
  assert.equal(problems.length, 1, `the field points at one problem list (aria-describedby="${ids.join(" ")}")`);
  assert.ok(await problems[0].isDisplayed(), "the problem list is shown");
  return problems[0];
}

async function row(browser, within, n) {
  return byRole(browser, "group", `Row ${String(n)}`, { within });
}

describe("a WhatsApp number without its country code", () => {
  let app;
  const TYPED = "4155550123";

  before(async () => {
    app = await launchApp();
  });
  after(async () => {
    await app?.close();
  });

  it("is refused next to Contact Reference ID with the country code and a 'Use +1…' fix", async () => {
    const { browser } = app;
    const found = await fromTemplate(app);
    const contact = await byRole(browser, "textbox", "Contact Reference ID", { within: found });
    await typeInto(browser, contact, TYPED);

    const message = await problemNextTo(browser, contact, /country code/i, "Contact Reference ID");
    assert.match(message, /WhatsApp/);
    const problems = await problemElement(browser, contact);
    const fix = await byRole(browser, "button", "Use +14155550123", { within: problems });
    assert.ok(await fix.isDisplayed(), "the suggestion is offered next to the message");
    assert.equal(await contact.getValue(), TYPED, "what was typed is still there");
    const submit = await byRole(browser, "button", "Submit", { within: found });
    assert.equal(await submit.isEnabled(), false, "a block with a problem cannot be submitted");
    await app.screenshot("twins-contact-country-code");
  });

  it("still holds the typed number and shows the message after a restart", async () => {
    const browser = await app.restart();
    await waitForReady(browser);
    await (await byRole(browser, "button", `Open ${TEMPLATE}`)).click();
    const found = await openBlockOnCanvas(browser, TEMPLATE_BLOCK);
    const contact = await byRole(browser, "textbox", "Contact Reference ID", { within: found });
    await browser.waitUntil(async () => (await contact.getValue()) === TYPED, {
      ...LONG,
      timeoutMsg: `after the restart the field holds ${JSON.stringify(await contact.getValue())}`,
    });
    await problemNextTo(browser, contact, /country code/i, "Contact Reference ID after the restart");
    await app.screenshot("twins-contact-country-code-after-restart");

    // The offered fix replaces the number with its normal form, and the message goes.
    const problems = await problemElement(browser, contact);
    await (await byRole(browser, "button", "Use +14155550123", { within: problems })).click();
    await browser.waitUntil(async () => (await contact.getValue()) === "+14155550123", LONG);
    await browser.waitUntil(async () => (await contact.getAttribute("aria-invalid")) === "false", {
      ...LONG,
      timeoutMsg: "the message stayed after the fix",
    });
  });
});

describe("a variable that does not exist in Contact Reference ID", () => {
  let app;
  before(async () => {
    app = await launchApp();
  });
  after(async () => {
    await app?.close();
  });

  it("says the bot has no such variable, next to the field, keeping {not_declared}", async () => {
    const { browser } = app;
    const found = await fromTemplate(app);
    const contact = await byRole(browser, "textbox", "Contact Reference ID", { within: found });
    await typeInto(browser, contact, "{not_declared}");
    const message = await problemNextTo(browser, contact, /not_declared/, "Contact Reference ID");
    assert.match(message, /no variable/i);
    await problemElement(browser, contact);
    assert.equal(await contact.getValue(), "{not_declared}");
    await app.screenshot("twins-contact-unknown-variable");
  });
});

describe("a broken path in Data", () => {
  let app;
  before(async () => {
    app = await launchApp();
  });
  after(async () => {
    await app?.close();
  });

  it("says the path is not valid and how to write one, next to that row's Data, keeping data.items[", async () => {
    const { browser } = app;
    const found = await fromTemplate(app);
    const first = await row(browser, found, 1);
    const data = await byRole(browser, "textbox", "Data", { within: first });
    await typeInto(browser, data, "data.items[");
    const message = await problemNextTo(browser, data, /not a valid path/i, "Data of row 1");
    assert.ok(message.includes("data.items["), message);
    await problemElement(browser, data);
    assert.equal(await data.getValue(), "data.items[");
    // The other rows are not blamed.
    const second = await byRole(browser, "textbox", "Data", { within: await row(browser, found, 2) });
    assert.equal(await second.getAttribute("aria-invalid"), "false");
    await app.screenshot("twins-broken-path");
  });
});

describe("two rows that set the same variable", () => {
  let app;
  before(async () => {
    app = await launchApp();
  });
  after(async () => {
    await app?.close();
  });

  it("says which row already sets it, next to the second row's Set Variable, keeping both", async () => {
    const { browser } = app;
    const found = await fromTemplate(app);
    const firstVariable = await byRole(browser, "textbox", "Set Variable", { within: await row(browser, found, 1) });
    const taken = await firstVariable.getValue();
    assert.equal(taken, "customer_name");
    const secondVariable = await byRole(browser, "textbox", "Set Variable", { within: await row(browser, found, 2) });
    await typeInto(browser, secondVariable, taken);
    const message = await problemNextTo(browser, secondVariable, /already sets/i, "Set Variable of row 2");
    assert.match(message, /Row 1 \(data\.name\) already sets customer_name/);
    await problemElement(browser, secondVariable);
    assert.equal(await secondVariable.getValue(), taken);
    assert.equal(await firstVariable.getValue(), taken);
    await app.screenshot("twins-duplicate-variable");
  });
});

describe("Submit with no channel", () => {
  let app;
  before(async () => {
    app = await launchApp();
  });
  after(async () => {
    await app?.close();
  });

  it("is disabled and says why, next to the button", async () => {
    const { browser } = app;
    await waitForReady(browser);
    await (await byRole(browser, "button", "New bot")).click();
    const dialog = await byRole(browser, "dialog", "New bot");
    await (await byRole(browser, "textbox", "Bot name", { within: dialog })).setValue("No channel yet");
    await (await byRole(browser, "button", "Create bot", { within: dialog })).click();
    await browser.$('[data-testid="builder"]').waitForDisplayed(LONG);
    await (await byRole(browser, "button", "Add webhook block")).click();
    const found = await panel(browser);

    const submit = await byRole(browser, "button", "Submit", { within: found });
    assert.equal(await submit.isEnabled(), false);
    const reason = await describedText(browser, submit);
    assert.match(reason, /Connect a channel/);
    const reasonId = await submit.getAttribute("aria-describedby");
    assert.ok(await browser.$(`[id="${reasonId}"]`).isDisplayed(), "the reason is shown");
    // Select Channel offers nothing to choose: only connected channels are listed.
    const channel = await byRole(browser, "combobox", "Select Channel", { within: found });
    assert.equal((await channel.$$("option")).length, 1, "only the placeholder option");
    await app.screenshot("twins-submit-no-channel");
  });
});
