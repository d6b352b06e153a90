import { describe, expect, it } from "vitest";
import { placeInView } from "./placeInView.ts";

// A 248 x 104 card at (20, 56) in the flow, as the welcome example's "Sign-up form" is.
const CARD = { x: 20, y: 56, width: 248, height: 104 };

describe("placeInView", () => {
  it("finds a card inside the canvas", () => {
    expect(placeInView(CARD, { x: 380, y: 157.5, zoom: 1 }, 1048, 671).inside).toBe(true);
  });

  it("finds a card whose right edge is past a canvas narrowed by the panel", () => {
    // Its left edge (400) is inside the 608 px left of the panel; its right edge (648) is not.
    const place = placeInView(CARD, { x: 380, y: 157.5, zoom: 1 }, 608, 671);
    expect(place.inside).toBe(false);
    expect(place.center).toEqual({ x: 144, y: 108 });
  });

  it("counts the card's size at the zoom", () => {
    // Its left edge at 400 px: at half zoom the card is 124 px wide and ends at 524, inside 608;
    // at 1.5x it is 372 px wide and ends at 772, past it.
    expect(placeInView(CARD, { x: 390, y: 0, zoom: 0.5 }, 608, 671).inside).toBe(true);
    expect(placeInView(CARD, { x: 370, y: 0, zoom: 1.5 }, 608, 671).inside).toBe(false);
  });

  it("finds a card above or left of the view outside", () => {
    expect(placeInView(CARD, { x: -30, y: 0, zoom: 1 }, 1048, 671).inside).toBe(false);
    expect(placeInView(CARD, { x: 0, y: -60, zoom: 1 }, 1048, 671).inside).toBe(false);
  });
});
