import type { BotView } from "../../backend/builder.ts";

/**
 * The bot as it will look once `move_block` has moved a block: shown at once, so a dropped card
 * stays where it was dropped instead of jumping back until Rust answers. Only the picture: Rust
 * decides, and its answer replaces this view (or, on an error, the bot is read again).
 */
export function movedView(bot: BotView, blockId: string, sequenceId: string, index: number): BotView {
  const card = bot.flows.flatMap((f) => f.sequences).flatMap((s) => s.blocks).find((b) => b.id === blockId);
  const known = bot.flows.some((f) => f.sequences.some((s) => s.id === sequenceId));
  if (card === undefined || !known) return bot;
  return {
    ...bot,
    flows: bot.flows.map((flow) => ({
      ...flow,
      sequences: flow.sequences.map((sequence) => {
        const blocks = sequence.blocks.filter((b) => b.id !== blockId);
        if (sequence.id === sequenceId) blocks.splice(Math.min(Math.max(index, 0), blocks.length), 0, card);
        return blocks.length === sequence.blocks.length && sequence.id !== sequenceId ? sequence : { ...sequence, blocks };
      }),
    })),
  };
}
