import { describe, expect, it } from "vitest";
import type { BlockCard, BotView } from "../../backend/builder.ts";
import { dropTarget, staysInPlace, stepTarget } from "./dropTarget.ts";
import { BLOCK_GAP, BLOCK_HEIGHT, LANE_GAP, LANE_WIDTH, layout } from "./layout.ts";

function block(id: string): BlockCard {
  return { id, name: `Block ${id}`, kind: "message", status: null, problems: 0, summary: "" };
}

function lanesOf(...sequences: string[][]) {
  const bot: BotView = {
    id: "bot-1",
    name: "Bot",
    connected: true,
    flows: [
      {
        id: "flow-1",
        name: "Main flow",
        sequences: sequences.map((ids, i) => ({ id: `seq-${String(i)}`, name: `Sequence ${String(i)}`, blocks: ids.map(block) })),
      },
    ],
  };
  return layout(bot, undefined).lanes;
}

// The lanes as laid out: lane n starts at x = n × (288 + 40); block k's top is 56 + k × 140,
// so the middles of the first three blocks are at y = 108, 248 and 388.
const STEP = BLOCK_HEIGHT + BLOCK_GAP;
const laneX = (n: number) => n * (LANE_WIDTH + LANE_GAP) + LANE_WIDTH / 2;
const middle = (k: number) => 56 + k * STEP + BLOCK_HEIGHT / 2;

describe("where a dragged block lands", () => {
  it("goes before the first card of another lane when above that card's middle", () => {
    const lanes = lanesOf(["a", "b"], ["c"]);
    expect(dropTarget(lanes, "a", { x: laneX(1), y: middle(0) - 10 })).toEqual({
      sequenceId: "seq-1",
      name: "Sequence 1",
      index: 0,
      of: 2,
    });
  });

  it("goes to the end of another lane below its last card's middle, also just under the lane", () => {
    const lanes = lanesOf(["a", "b"], ["c"]);
    const end = { sequenceId: "seq-1", index: 1, of: 2 };
    expect(dropTarget(lanes, "a", { x: laneX(1), y: middle(0) + 10 })).toMatchObject(end);
    const lane = lanes[1];
    if (lane === undefined) throw new Error("no second lane");
    expect(dropTarget(lanes, "a", { x: laneX(1), y: lane.height + 100 })).toMatchObject(end);
  });

  it("counts positions in its own lane with the other cards closed up", () => {
    const lanes = lanesOf(["a", "b", "c"]);
    // a dragged: b and c count as first and second. Past b's middle (now the first slot's) is
    // after b, position 1; past c's (the second slot's), the end.
    expect(dropTarget(lanes, "a", { x: laneX(0), y: middle(0) + 10 })).toMatchObject({ sequenceId: "seq-0", index: 1, of: 3 });
    expect(dropTarget(lanes, "a", { x: laneX(0), y: middle(1) + 10 })).toMatchObject({ index: 2 });
    // c dragged above a: the top.
    expect(dropTarget(lanes, "c", { x: laneX(0), y: 60 })).toMatchObject({ index: 0 });
  });

  it("moves the slot one card at a time as the pointer passes each middle", () => {
    const lanes = lanesOf(["a", "b", "c", "d"], ["x"]);
    const indexAt = (y: number) => dropTarget(lanes, "x", { x: laneX(0), y })?.index;
    expect([0, middle(0) - 1, middle(0) + 1, middle(1) + 1, middle(2) + 1, middle(3) + 1, 500].map(indexAt)).toEqual([
      0, 0, 1, 2, 3, 4, 3,
    ]);
  });

  it("knows a drop back on the block's own place changes nothing", () => {
    const lanes = lanesOf(["a", "b", "c"]);
    const target = dropTarget(lanes, "b", { x: laneX(0), y: middle(1) - 10 });
    expect(target).toMatchObject({ sequenceId: "seq-0", index: 1 });
    expect(target && staysInPlace(target, { sequenceId: "seq-0", index: 1 })).toBe(true);
    expect(target && staysInPlace(target, { sequenceId: "seq-1", index: 1 })).toBe(false);
    expect(target && staysInPlace(target, { sequenceId: "seq-0", index: 0 })).toBe(false);
  });

  it("drops into an empty lane at its top", () => {
    const lanes = lanesOf(["a"], []);
    expect(dropTarget(lanes, "a", { x: laneX(1), y: 150 })).toMatchObject({ sequenceId: "seq-1", index: 0, of: 1 });
  });

  it("splits the gap between two lanes at its middle, so no drop falls between them", () => {
    const lanes = lanesOf(["a"], ["b"]);
    expect(dropTarget(lanes, "a", { x: LANE_WIDTH + LANE_GAP / 2 - 1, y: 100 })?.sequenceId).toBe("seq-0");
    expect(dropTarget(lanes, "a", { x: LANE_WIDTH + LANE_GAP / 2, y: 100 })?.sequenceId).toBe("seq-1");
  });

  it("finds no target outside the lanes: beside the outer ones, above them, or far below", () => {
    const lanes = lanesOf(["a"], ["b"]);
    const rightEdge = 2 * LANE_WIDTH + LANE_GAP;
    expect(dropTarget(lanes, "a", { x: -LANE_GAP / 2 - 1, y: 100 })).toBeNull();
    expect(dropTarget(lanes, "a", { x: rightEdge + LANE_GAP / 2, y: 100 })).toBeNull();
    expect(dropTarget(lanes, "a", { x: laneX(0), y: -1 })).toBeNull();
    expect(dropTarget(lanes, "a", { x: laneX(0), y: 2000 })).toBeNull();
    expect(dropTarget([], "a", { x: 0, y: 0 })).toBeNull();
  });
});

describe("where Alt and an arrow key move a block", () => {
  const lanes = lanesOf(["a", "b", "c"], ["d"], []);

  it("moves it up and down within its sequence, and not past either end", () => {
    expect(stepTarget(lanes, "b", "up")).toEqual({ sequenceId: "seq-0", index: 0 });
    expect(stepTarget(lanes, "b", "down")).toEqual({ sequenceId: "seq-0", index: 2 });
    expect(stepTarget(lanes, "a", "up")).toBeNull();
    expect(stepTarget(lanes, "c", "down")).toBeNull();
  });

  it("moves it sideways to the same position of the next sequence, or its end when shorter", () => {
    expect(stepTarget(lanes, "a", "right")).toEqual({ sequenceId: "seq-1", index: 0 });
    expect(stepTarget(lanes, "c", "right")).toEqual({ sequenceId: "seq-1", index: 1 });
    expect(stepTarget(lanes, "d", "right")).toEqual({ sequenceId: "seq-2", index: 0 });
    expect(stepTarget(lanes, "d", "left")).toEqual({ sequenceId: "seq-0", index: 0 });
    expect(stepTarget(lanes, "a", "left")).toBeNull();
    expect(stepTarget(lanes, "nope", "left")).toBeNull();
  });
});
