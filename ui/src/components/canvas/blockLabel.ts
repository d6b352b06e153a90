import type { BlockCard } from "../../backend/builder.ts";

/**
 * The label a block's card is found by, by people and by tests, on the canvas and in its outline.
 * In a module of its own so that the builder page reaches it without React Flow (`layout.ts`),
 * which then stays in the canvas's own chunk, out of the window's start.
 */
export function blockLabel(card: BlockCard): string {
  return `${card.kind === "webhook" ? "Webhook" : "Message"} block ${card.name}`;
}
