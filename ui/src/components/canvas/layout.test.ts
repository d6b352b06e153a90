import { describe, expect, it } from "vitest";
import type { BlockCard, BotView } from "../../backend/builder.ts";
import { blockLabel } from "./blockLabel.ts";
import { BLOCK_HEIGHT, BLOCK_WIDTH, layout, openingViewport } from "./layout.ts";

function block(id: string, kind: BlockCard["kind"] = "webhook"): BlockCard {
  return { id, name: `Block ${id}`, kind, status: kind === "webhook" ? "draft" : null, problems: 0, summary: "" };
}

function bot(sequences: BlockCard[][]): BotView {
  return {
    id: "bot-1",
    name: "Bot",
    connected: true,
    flows: [
      {
        id: "flow-1",
        name: "Main flow",
        sequences: sequences.map((blocks, i) => ({ id: `seq-${String(i)}`, name: `Sequence ${String(i)}`, blocks })),
      },
    ],
  };
}

describe("the canvas layout", () => {
  it("stacks each sequence's blocks in its own lane, top to bottom, with an edge between neighbours", () => {
    const { nodes, edges } = layout(bot([[block("a"), block("b", "message")], []]), "seq-1");

    expect(nodes.map((n) => n.id)).toEqual(["lane-seq-0", "a", "b", "lane-seq-1"]);
    const [laneA, a, b, laneB] = nodes;
    expect(a?.position.x).toBe(b?.position.x);
    expect(b?.position.y).toBeGreaterThan(a?.position.y ?? Infinity);
    expect(laneB?.position.x).toBeGreaterThan(laneA?.position.x ?? Infinity);
    expect(laneB?.data).toMatchObject({ active: true, blocks: 0 });
    expect(edges).toEqual([expect.objectContaining({ source: "a", target: "b" })]);
    expect(a?.ariaLabel).toBe("Webhook block Block a");
    expect(b?.ariaLabel).toBe("Message block Block b");
    expect(a?.domAttributes).toEqual({ "data-testid": "block-a" });
    // Blocks are dragged to move them; lanes stay put.
    expect(a?.draggable).toBe(true);
    expect(laneA?.draggable).toBe(false);
  });

  it("gives each lane's box and its blocks' tops, for working out where a drag lands", () => {
    const { nodes, lanes } = layout(bot([[block("a"), block("b")], []]), undefined);
    const [laneA, a, b, laneB] = nodes;
    expect(lanes).toEqual([
      {
        sequenceId: "seq-0",
        name: "Sequence 0",
        x: laneA?.position.x,
        y: 0,
        width: laneA?.width,
        height: laneA?.height,
        blocks: [
          { id: "a", top: a?.position.y },
          { id: "b", top: b?.position.y },
        ],
      },
      { sequenceId: "seq-1", name: "Sequence 1", x: laneB?.position.x, y: 0, width: laneB?.width, height: laneB?.height, blocks: [] },
    ]);
  });

  it("lays out a 500-block flow in a few milliseconds", () => {
    const blocks = Array.from({ length: 500 }, (_, i) => block(`wh-${String(i)}`));
    const started = performance.now();
    const { nodes, edges } = layout(bot([blocks]), undefined);
    expect(performance.now() - started).toBeLessThan(50);
    expect(nodes).toHaveLength(501);
    expect(edges).toHaveLength(499);
  });

  it("names a block by its kind and name", () => {
    expect(blockLabel(block("x", "message"))).toBe("Message block Block x");
  });
});

describe("the view the canvas opens on", () => {
  const onScreen = (position: { x: number; y: number }, view: { x: number; y: number; zoom: number }) => ({
    left: position.x * view.zoom + view.x,
    top: position.y * view.zoom + view.y,
    right: (position.x + BLOCK_WIDTH) * view.zoom + view.x,
    bottom: (position.y + BLOCK_HEIGHT) * view.zoom + view.y,
  });

  it("shows the first four blocks of every lane inside the canvas, and the fifth starts below them", () => {
    const lane = (name: string) => Array.from({ length: 10 }, (_, i) => block(`${name}${String(i)}`, "message"));
    const { nodes } = layout(bot([lane("a"), lane("b")]), undefined);
    const view = openingViewport(nodes, 1000, 700, 0.2);

    for (const id of ["a0", "a3", "b0", "b3"]) {
      const box = onScreen(nodes.find((n) => n.id === id)?.position ?? { x: NaN, y: NaN }, view);
      expect(box.left, id).toBeGreaterThanOrEqual(0);
      expect(box.top, id).toBeGreaterThanOrEqual(0);
      expect(box.right, id).toBeLessThanOrEqual(1000);
      expect(box.bottom, id).toBeLessThanOrEqual(700);
    }
    const fifth = onScreen(nodes.find((n) => n.id === "a4")?.position ?? { x: NaN, y: NaN }, view);
    const fourth = onScreen(nodes.find((n) => n.id === "a3")?.position ?? { x: NaN, y: NaN }, view);
    expect(fifth.top).toBeGreaterThan(fourth.bottom);
  });

  it("never zooms in past 1 on a small flow, and centres it", () => {
    const { nodes } = layout(bot([[block("a")]]), undefined);
    const view = openingViewport(nodes, 1000, 700, 0.2);

    expect(view.zoom).toBe(1);
    const box = onScreen(nodes.find((n) => n.id === "a")?.position ?? { x: NaN, y: NaN }, view);
    expect((box.left + box.right) / 2).toBeCloseTo(500);
    expect((box.top + box.bottom) / 2).toBeCloseTo(350);
  });

  it("shows the lanes when there is no block yet, and the origin when there is nothing or no room", () => {
    const empty = layout(bot([[], []]), undefined).nodes;
    const view = openingViewport(empty, 1000, 700, 0.2);
    expect(view).not.toEqual({ x: 0, y: 0, zoom: 1 });
    expect(view.zoom).toBeLessThanOrEqual(1);

    expect(openingViewport([], 1000, 700, 0.2)).toEqual({ x: 0, y: 0, zoom: 1 });
    expect(openingViewport(empty, 0, 0, 0.2)).toEqual({ x: 0, y: 0, zoom: 1 });
  });
});
