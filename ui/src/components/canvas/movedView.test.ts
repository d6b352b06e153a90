import { describe, expect, it } from "vitest";
import type { BlockCard, BotView } from "../../backend/builder.ts";
import { movedView } from "./movedView.ts";

function block(id: string): BlockCard {
  return { id, name: id, kind: "message", status: null, problems: 0, summary: "" };
}

const BOT: BotView = {
  id: "bot-1",
  name: "Bot",
  connected: true,
  flows: [
    {
      id: "flow-1",
      name: "Main flow",
      sequences: [
        { id: "start", name: "Start", blocks: ["a", "b", "c"].map(block) },
        { id: "later", name: "Later", blocks: ["d"].map(block) },
      ],
    },
  ],
};

const ids = (bot: BotView) => bot.flows[0]?.sequences.map((s) => s.blocks.map((b) => b.id));

describe("the moved bot shown before Rust answers", () => {
  it("puts the block at its position in another sequence", () => {
    expect(ids(movedView(BOT, "b", "later", 0))).toEqual([["a", "c"], ["b", "d"]]);
    expect(ids(movedView(BOT, "b", "later", 9))).toEqual([["a", "c"], ["d", "b"]]);
  });

  it("counts the position without the block within its own sequence", () => {
    expect(ids(movedView(BOT, "a", "start", 2))).toEqual([["b", "c", "a"], ["d"]]);
    expect(ids(movedView(BOT, "c", "start", 0))).toEqual([["c", "a", "b"], ["d"]]);
  });

  it("leaves the bot as it is for a block or sequence it does not have", () => {
    expect(movedView(BOT, "zz", "later", 0)).toBe(BOT);
    expect(movedView(BOT, "a", "nowhere", 0)).toBe(BOT);
  });
});
