import type { XYPosition } from "@xyflow/react";
import { BLOCK_GAP, BLOCK_HEIGHT, LANE_GAP, LANE_HEADER, type LaneGeometry } from "./layout.ts";

/**
 * Where a dragged block would land: the sequence, and its position there once it has left its
 * old place (the `index` that `move_block` takes), of `of` positions.
 */
export type DropTarget = { sequenceId: string; name: string; index: number; of: number };

/**
 * Below a lane's end a drop still counts as in it for one more card's height, so a lane that
 * ends early is easy to drop at the end of; sideways each lane owns half the gap to its
 * neighbour, so there is no strip between two lanes where a drop is lost.
 */
const BELOW_LANE = BLOCK_HEIGHT + BLOCK_GAP;

/**
 * The drop target under the pointer (canvas coordinates) for the dragged block, or null when the
 * pointer is outside every lane (a drop there cancels).
 *
 * The position is decided against the lane as it is without the dragged block (its other cards
 * closed up): the pointer above the middle of the n-th of them goes before it. While dragging,
 * the canvas draws that lane with an open slot at the position; passing the middle of the slot
 * moves the slot past the next card, and never back and forth on its own.
 */
export function dropTarget(lanes: LaneGeometry[], blockId: string, pointer: XYPosition): DropTarget | null {
  const lane = lanes.find(
    (l) =>
      pointer.x >= l.x - LANE_GAP / 2 &&
      pointer.x < l.x + l.width + LANE_GAP / 2 &&
      pointer.y >= l.y &&
      pointer.y <= l.y + l.height + BELOW_LANE,
  );
  if (lane === undefined) return null;
  const others = lane.blocks.filter((b) => b.id !== blockId).length;
  const y = pointer.y - lane.y;
  // The middle of the i-th other card, closed up, is LANE_HEADER + i × step + half a card.
  const passed = Math.floor((y - LANE_HEADER - BLOCK_HEIGHT / 2) / (BLOCK_HEIGHT + BLOCK_GAP)) + 1;
  return { sequenceId: lane.sequenceId, name: lane.name, index: Math.min(Math.max(passed, 0), others), of: others + 1 };
}

/** Whether dropping there leaves the block where it is. */
export function staysInPlace(target: DropTarget, from: { sequenceId: string; index: number }): boolean {
  return target.sequenceId === from.sequenceId && target.index === from.index;
}

/** Which way Alt and an arrow key move a focused block. */
export type Step = "up" | "down" | "left" | "right";

/**
 * Where Alt and an arrow key move a block: up and down within its sequence, left and right to
 * the same position of the neighbouring sequence (or its end, when shorter). Null when the block
 * is already at that edge.
 */
export function stepTarget(
  lanes: LaneGeometry[],
  blockId: string,
  step: Step,
): { sequenceId: string; index: number } | null {
  const column = lanes.findIndex((l) => l.blocks.some((b) => b.id === blockId));
  const lane = lanes[column];
  if (lane === undefined) return null;
  const index = lane.blocks.findIndex((b) => b.id === blockId);
  if (step === "up") return index > 0 ? { sequenceId: lane.sequenceId, index: index - 1 } : null;
  if (step === "down") {
    return index < lane.blocks.length - 1 ? { sequenceId: lane.sequenceId, index: index + 1 } : null;
  }
  const next = lanes[step === "left" ? column - 1 : column + 1];
  return next === undefined ? null : { sequenceId: next.sequenceId, index: Math.min(index, next.blocks.length) };
}
