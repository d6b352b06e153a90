// Moving blocks on the canvas of the real window, as a designer does it:
//   a bot from the "Welcome on sign-up" template (one sequence: Sign-up form, Welcome) and a new
//   empty sequence, Follow-up -> open Sign-up form's panel: the canvas pans to keep its card in
//   view, left of the panel -> drag Welcome into Follow-up (the lane opens a slot where it will
//   land) -> drag Sign-up form above it, then below it -> a drag cancelled with Escape and one
//   dropped outside the lanes move nothing -> dragging the empty canvas still pans -> with the
//   keyboard, Welcome's "Move to" menu sends it back to On sign-up, still selected, and
//   Alt+arrows move it about -> restart the app, open the bot: every block is where it was put.
// Drags are WebDriver pointer actions (real mouse events in WebKit, which React Flow's drag
// listens to); the steps depend on each other, so they run in order in one describe.

import assert from "node:assert/strict";
import { after, afterEach, before, describe, it } from "node:test";
import { byRole, launchApp, textOf, waitForReady } from "./harness.mjs";

const BOT = "Welcome on sign-up";
const START = "On sign-up";
const LATER = "Follow-up";
const LONG = { timeout: 20_000 };
const MOUSE = { id: "mouse", parameters: { pointerType: "mouse" } };

/**
 * Runs in the page: each lane's name (its aria-label less "Sequence ") with the names of the
 * block cards drawn inside it, top to bottom.
 */
function lanesInPage() {
  const rect = (el) => el.getBoundingClientRect();
  const lanes = [...document.querySelectorAll(".react-flow__node-lane")].map((el) => ({
    name: (el.getAttribute("aria-label") ?? "").replace(/^Sequence /, ""),
    box: rect(el),
    blocks: [],
  }));
  for (const el of document.querySelectorAll(".react-flow__node-block")) {
    const box = rect(el);
    const x = box.left + box.width / 2;
    const lane = lanes.find((l) => x >= l.box.left && x <= l.box.right);
    lane?.blocks.push({ name: el.querySelector(".block-card-name")?.textContent ?? "", top: box.top });
  }
  // In the lanes' order on the canvas (left to right), whatever order their nodes are drawn in.
  lanes.sort((a, b) => a.box.left - b.box.left);
  // Pairs, not an object: WebKitWebDriver hands objects back with their keys sorted.
  return lanes.map((l) => [l.name, l.blocks.sort((a, b) => a.top - b.top).map((b) => b.name)]);
}

const lanes = async (browser) => Object.fromEntries(await browser.execute(lanesInPage));

async function waitForLanes(browser, expected, what) {
  let last = {};
  try {
    await browser.waitUntil(
      async () => {
        last = await lanes(browser);
        return JSON.stringify(last) === JSON.stringify(expected);
      },
      { ...LONG, interval: 200 },
    );
  } catch (error) {
    throw new Error(`${what}: expected ${JSON.stringify(expected)}, the canvas shows ${JSON.stringify(last)}`, {
      cause: error,
    });
  }
}

/** The box of an element in the window, from a CSS selector. */
async function boxOf(browser, selector) {
  await nextFrames(browser);
  return browser.execute((sel) => {
    const el = document.querySelector(sel);
    if (el === null) return null;
    const { left, top, width, height } = el.getBoundingClientRect();
    return { left, top, width, height };
  }, selector);
}

const CARD = (name) =>
  `//div[contains(@class,"react-flow__node-block")][.//span[contains(@class,"block-card-name")][normalize-space()="${name}"]]`;

/**
 * Waits until a block card has stopped moving and answers the middle of its summary line (a
 * place to grab it, away from its buttons). The canvas may still be gliding to its first view,
 * or to a block it keeps in view. Under Xvfb WebKit draws frames only now and then unless asked,
 * and React Flow measures and moves its view in frames, so each look asks for two.
 */
async function settle(browser, name) {
  const measure = () =>
    browser.execute((path) => {
      const el = document.evaluate(path, document, null, XPathResult.FIRST_ORDERED_NODE_TYPE, null).singleNodeValue;
      const box = el?.querySelector(".block-card-summary")?.getBoundingClientRect();
      return box === undefined ? null : { x: Math.round(box.left + box.width / 2), y: Math.round(box.top + box.height / 2) };
    }, CARD(name));
  await nextFrames(browser);
  let point = await measure();
  await browser.waitUntil(
    async () => {
      await new Promise((resolve) => setTimeout(resolve, 100));
      await nextFrames(browser);
      const again = await measure();
      const still = point !== null && again !== null && again.x === point.x && again.y === point.y;
      point = again;
      return still;
    },
    { ...LONG, interval: 0, timeoutMsg: `${name}'s card never stopped moving (or is not on the canvas)` },
  );
  return point;
}

/** Where to grab a block card to drag it, once it is still; checked to be on the card. */
async function grabPoint(browser, name) {
  const point = await settle(browser, name);
  const onCard = await browser.execute(
    ({ x, y }, path) =>
      document.evaluate(path, document, null, XPathResult.FIRST_ORDERED_NODE_TYPE, null).singleNodeValue?.contains(document.elementFromPoint(x, y)) ?? false,
    point,
    CARD(name),
  );
  assert.ok(onCard, `the point grabbed (${point.x}, ${point.y}) is on ${name}'s card`);
  return point;
}

async function laneBox(browser, name) {
  const box = await boxOf(browser, `.react-flow__node-lane[aria-label="Sequence ${name}"]`);
  assert.ok(box, `no lane ${name} on the canvas`);
  return box;
}

/**
 * Presses the mouse at `from` and moves it to `to` in small steps, keeping the button down:
 * the drag is then in progress for the test to look at. `release` lets go.
 */
async function pickUp(browser, from, to, steps = 8) {
  await nextFrames(browser);
  let action = browser
    .action("pointer", MOUSE)
    .move({ x: from.x, y: from.y, origin: "viewport" })
    .down({ button: 0 })
    .pause(50);
  for (let i = 1; i <= steps; i += 1) {
    action = action.move({
      x: Math.round(from.x + ((to.x - from.x) * i) / steps),
      y: Math.round(from.y + ((to.y - from.y) * i) / steps),
      origin: "viewport",
      duration: 30,
    });
  }
  await action.perform(true);
}

/** Waits for two frames, so what WebKit hit-tests is what the last assertion saw. */
function nextFrames(browser) {
  return browser.executeAsync((done) => {
    requestAnimationFrame(() => requestAnimationFrame(() => done()));
  });
}

async function release(browser) {
  await browser.action("pointer", MOUSE).up({ button: 0 }).perform();
}

async function drag(browser, from, to) {
  await pickUp(browser, from, to);
  await release(browser);
}

/**
 * Waits for the drag hint to read `expected` (a string, or a RegExp it matches): React draws a
 * pointer move's result a moment after WebDriver has sent it.
 */
async function waitForHint(browser, expected) {
  let last = "";
  const matches = (text) => (typeof expected === "string" ? text === expected : expected.test(text));
  try {
    await browser.waitUntil(
      async () => {
        last = await textOf(browser, '[data-testid="drag-hint"]');
        return matches(last);
      },
      { timeout: 5_000, interval: 50 },
    );
  } catch (error) {
    throw new Error(`the drag hint reads ${JSON.stringify(last)}, not ${String(expected)}`, { cause: error });
  }
}

describe("moving blocks on the canvas", () => {
  let app;

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
    // A step that failed halfway through a drag must not leave the mouse button down for the next.
    await app?.browser.releaseActions().catch(() => {});
    step += 1;
    if (process.env.E2E_DEBUG) await app?.screenshot(`debug-dnd-step-${String(step)}`).catch(() => {});
  });

  it("starts a bot from a template and adds an empty sequence beside its own", async () => {
    const { browser } = app;
    await (await byRole(browser, "button", `Use template ${BOT}`)).click();
    await browser.$('[data-testid="builder"]').waitForDisplayed(LONG);
    await waitForLanes(browser, { [START]: ["Sign-up form", "Welcome"] }, "the template's flow");

    await (await byRole(browser, "button", "Add sequence")).click();
    const dialog = await byRole(browser, "dialog", "Add sequence");
    await (await byRole(browser, "textbox", "Sequence name", { within: dialog })).setValue(LATER);
    await (await byRole(browser, "button", "Add sequence", { within: dialog })).click();
    await waitForLanes(browser, { [START]: ["Sign-up form", "Welcome"], [LATER]: [] }, "the new sequence");
  });

  it("pans to keep a clicked card in view when its panel narrows the canvas", async () => {
    const { browser } = app;
    // The template's lane stands in the middle of the canvas: the panel opens over where its
    // cards' right edges are.
    await settle(browser, "Sign-up form");
    await (await browser.$(CARD("Sign-up form"))).click();
    await browser.$('[aria-label="Webhook block panel"]').waitForDisplayed(LONG);
    await settle(browser, "Sign-up form");
    const canvas = await boxOf(browser, ".react-flow");
    const panel = await boxOf(browser, '[aria-label="Webhook block panel"]');
    const card = await boxOf(browser, ".react-flow__node-block .block-card-selected");
    assert.ok(card, "the clicked card is drawn, selected");
    assert.ok(
      canvas.left + canvas.width <= panel.left,
      `the canvas (${JSON.stringify(canvas)}) ends where the panel begins (${JSON.stringify(panel)})`,
    );
    const inside =
      card.left >= canvas.left &&
      card.top >= canvas.top &&
      card.left + card.width <= canvas.left + canvas.width &&
      card.top + card.height <= canvas.top + canvas.height;
    assert.ok(
      inside,
      `the selected card (${JSON.stringify(card)}) is wholly inside the canvas left of the panel (${JSON.stringify(canvas)})`,
    );
    await app.screenshot("canvas-dnd-panel-keeps-card-in-view");

    await (await byRole(browser, "button", "Close panel")).click();
    await browser.$('[aria-label="Webhook block panel"]').waitForExist({ ...LONG, reverse: true });
    await waitForLanes(browser, { [START]: ["Sign-up form", "Welcome"], [LATER]: [] }, "after the panel is closed");
  });

  it("drags Welcome into the empty sequence, which shows the slot it will fill", async () => {
    const { browser } = app;
    const from = await grabPoint(browser, "Welcome");
    const lane = await laneBox(browser, LATER);
    await pickUp(browser, from, { x: Math.round(lane.left + lane.width / 2), y: Math.round(lane.top + lane.height / 2) });

    await waitForHint(browser, `Move Welcome to ${LATER}, position 1 of 1 Esc cancels`);
    const target = await browser.$(`.react-flow__node-lane[aria-label="Sequence ${LATER}"] .lane`);
    assert.match(await target.getAttribute("class"), /\blane-drop\b/, "the target lane is marked");
    const slot = await boxOf(browser, '[data-testid="drop-slot"]');
    const later = await laneBox(browser, LATER);
    assert.ok(slot, "the slot Welcome would fill is drawn");
    assert.ok(
      slot.left > later.left && slot.left + slot.width < later.left + later.width && slot.top > later.top,
      `the slot (${JSON.stringify(slot)}) is in ${LATER} (${JSON.stringify(later)})`,
    );
    await app.screenshot("canvas-dnd-dragging-into-empty");

    await release(browser);
    await waitForLanes(browser, { [START]: ["Sign-up form"], [LATER]: ["Welcome"] }, "Welcome after the drop");
    assert.equal(await browser.$('[data-testid="drag-hint"]').isExisting(), false, "the hint goes with the drag");
  });

  it("drags Sign-up form above Welcome, which makes room for it", async () => {
    const { browser } = app;
    const from = await grabPoint(browser, "Sign-up form");
    const welcomeId = await (await browser.$(CARD("Welcome"))).getAttribute("data-testid");
    const welcome = await browser.execute((el) => {
      const { left, top, width, height } = el.getBoundingClientRect();
      return { left, top, width, height };
    }, await browser.$(CARD("Welcome")));
    await pickUp(browser, from, { x: Math.round(welcome.left + welcome.width / 2), y: Math.round(welcome.top + 12) });

    await waitForHint(browser, `Move Sign-up form to ${LATER}, position 1 of 2 Esc cancels`);
    // Welcome glides down to open the slot Sign-up form would fill, above it.
    const slot = await boxOf(browser, '[data-testid="drop-slot"]');
    assert.ok(slot, "the slot is drawn");
    let below = false;
    await browser.waitUntil(
      async () => {
        const now = await boxOf(browser, `.react-flow__node-block[data-testid="${welcomeId}"]`);
        below = now !== null && now.top >= slot.top + slot.height;
        return below;
      },
      { ...LONG, timeoutMsg: "Welcome did not move down to open the slot above it" },
    );
    await app.screenshot("canvas-dnd-dragging");

    await release(browser);
    await waitForLanes(browser, { [START]: [], [LATER]: ["Sign-up form", "Welcome"] }, "Sign-up form after the drop");
    await app.screenshot("canvas-dnd-dropped");
  });

  it("reorders within a sequence: Sign-up form dragged below Welcome", async () => {
    const { browser } = app;
    const from = await grabPoint(browser, "Sign-up form");
    const welcome = await browser.execute((el) => {
      const { left, top, width, height } = el.getBoundingClientRect();
      return { left, top, width, height };
    }, await browser.$(CARD("Welcome")));
    await pickUp(browser, from, { x: Math.round(welcome.left + welcome.width / 2), y: Math.round(welcome.top + welcome.height * 0.8) });
    await waitForHint(browser, `Move Sign-up form to ${LATER}, position 2 of 2 Esc cancels`);
    await release(browser);
    await waitForLanes(browser, { [START]: [], [LATER]: ["Welcome", "Sign-up form"] }, "after the reorder");
  });

  it("puts the card back on Escape, and after a drop outside every lane", async () => {
    const { browser } = app;
    const expected = { [START]: [], [LATER]: ["Welcome", "Sign-up form"] };

    const start = await laneBox(browser, START);
    await pickUp(browser, await grabPoint(browser, "Welcome"), { x: Math.round(start.left + start.width / 2), y: Math.round(start.top + 120) });
    await waitForHint(browser, new RegExp(`^Move Welcome to ${START}`));
    await browser.action("key").down("\uE00C").up("\uE00C").perform();
    await browser.waitUntil(async () => !(await browser.$('[data-testid="drag-hint"]').isExisting()), {
      ...LONG,
      timeoutMsg: "Escape did not end the drag",
    });
    await release(browser);
    await waitForLanes(browser, expected, "after a drag cancelled with Escape");

    // Above the lanes, in the canvas: no lane there.
    const canvas = await boxOf(browser, '[data-testid="canvas"]');
    const later = await laneBox(browser, LATER);
    const above = { x: Math.round(later.left + later.width / 2), y: Math.round((canvas.top + later.top) / 2) };
    assert.ok(later.top - canvas.top > 20, "there is canvas above the lanes to drop on");
    await pickUp(browser, await grabPoint(browser, "Welcome"), above);
    await waitForHint(browser, /^Release to put Welcome back/);
    await release(browser);
    await waitForLanes(browser, expected, "after a drop outside the lanes");
  });

  it("still pans when the empty canvas is dragged", async () => {
    const { browser } = app;
    const transform = () => browser.execute(() => document.querySelector(".react-flow__viewport")?.style.transform ?? "");
    const before = await transform();
    const canvas = await boxOf(browser, '[data-testid="canvas"]');
    // The bottom-right part of the canvas, below the short lanes and right of the controls.
    const at = { x: Math.round(canvas.left + canvas.width - 60), y: Math.round(canvas.top + canvas.height - 60) };
    const empty = await browser.execute(({ x, y }) => document.elementFromPoint(x, y)?.classList.contains("react-flow__pane") ?? false, at);
    assert.ok(empty, "the point dragged is empty canvas");
    await drag(browser, at, { x: at.x - 80, y: at.y - 40 });
    await browser.waitUntil(async () => (await transform()) !== before, { ...LONG, timeoutMsg: "the canvas did not pan" });
    await waitForLanes(browser, { [START]: [], [LATER]: ["Welcome", "Sign-up form"] }, "after panning");
  });

  it("moves Welcome back with the keyboard from its Move to menu, and keeps it selected", async () => {
    const { browser } = app;
    const card = await browser.$(CARD("Welcome"));
    await card.click();
    await browser.$('[aria-label="Message block panel"]').waitForDisplayed(LONG);
    // The panel narrows the canvas, which then pans to keep the selected block in view.
    await settle(browser, "Welcome");

    await browser.execute(() => document.querySelector('[aria-label="Move Welcome to another sequence"]')?.focus());
    await browser.keys("Enter");
    await byRole(browser, "menu", "Move Welcome to");
    await browser.waitUntil(
      () =>
        browser.execute(
          (name) => document.activeElement?.getAttribute("role") === "menuitem" && document.activeElement.textContent === name,
          START,
        ),
      { ...LONG, timeoutMsg: `the menu's first item, ${START}, did not take the focus` },
    );
    await app.screenshot("canvas-dnd-move-menu");
    await browser.keys("Enter");

    await waitForLanes(browser, { [START]: ["Welcome"], [LATER]: ["Sign-up form"] }, "Welcome after the menu");
    // Once Rust has saved it: a toast says so and the focus is on the moved block, so the
    // keyboard carries on from there.
    const welcomeId = await (await browser.$(CARD("Welcome"))).getAttribute("data-testid");
    await browser.waitUntil(
      async () =>
        (await textOf(browser, '[aria-label="Notifications"]')).includes(`Moved Welcome to ${START}`) &&
        (await browser.execute(() => document.activeElement?.getAttribute("data-testid") ?? "")) === welcomeId,
      { ...LONG, timeoutMsg: "no toast for the move, or the focus is not on the moved block" },
    );
    assert.match(await (await browser.$(CARD("Welcome")).$(".block-card")).getAttribute("class"), /block-card-selected/);
    assert.ok(await browser.$('[aria-label="Message block panel"]').isDisplayed(), "its panel stays open");
  });

  it("moves the focused block with Alt and the arrow keys", async () => {
    const { browser } = app;
    const welcomeId = await (await browser.$(CARD("Welcome"))).getAttribute("data-testid");
    const focused = () => browser.execute(() => document.activeElement?.getAttribute("data-testid") ?? document.activeElement?.tagName ?? "");
    // Each move keeps (or gives back) the focus to the moved block, so the next key moves it again.
    const alt = async (key) => {
      let last = "";
      await browser.waitUntil(async () => (last = await focused()) === welcomeId, {
        ...LONG,
        timeoutMsg: `the focus is not on Welcome's block but on ${last}`,
      });
      await browser.action("key").down("\uE00A").down(key).up(key).up("\uE00A").perform();
    };
    const [left, right, down] = ["\uE012", "\uE014", "\uE015"];

    await alt(right);
    await waitForLanes(browser, { [START]: [], [LATER]: ["Welcome", "Sign-up form"] }, "after Alt+Right");
    await alt(down);
    await waitForLanes(browser, { [START]: [], [LATER]: ["Sign-up form", "Welcome"] }, "after Alt+Down");
    await alt(left);
    await waitForLanes(browser, { [START]: ["Welcome"], [LATER]: ["Sign-up form"] }, "after Alt+Left");
    assert.ok(await browser.$('[aria-label="Message block panel"]').isDisplayed(), "Welcome stays selected");
  });

  it("finds every block where it was put after the app is restarted", async () => {
    const browser = await app.restart();
    await waitForReady(browser);
    await (await byRole(browser, "button", `Open ${BOT}`)).click();
    await browser.$('[data-testid="builder"]').waitForDisplayed(LONG);
    await waitForLanes(browser, { [START]: ["Welcome"], [LATER]: ["Sign-up form"] }, "after a restart");
    await app.screenshot("canvas-dnd-after-restart");
  });
});
