import { getNodesBounds, getViewportForBounds, Position, type Edge, type Node, type NodeHandle, type Viewport } from "@xyflow/react";
import type { BlockCard, BotView } from "../../backend/builder.ts";
import { blockLabel } from "./blockLabel.ts";

/** Sizes of the canvas, in canvas pixels. Positions come from the order alone; none is stored. */
export const LANE_WIDTH = 288;
export const LANE_GAP = 40;
export const LANE_HEADER = 56;
export const LANE_PADDING = 20;
export const BLOCK_WIDTH = LANE_WIDTH - 2 * LANE_PADDING;
export const BLOCK_HEIGHT = 104;
export const BLOCK_GAP = 36;
const EMPTY_LANE_BODY = 120;

export type LaneData = {
  sequenceId: string;
  name: string;
  blocks: number;
  active: boolean;
  /** While a block is dragged over this lane (it would land in it). */
  dropping?: boolean;
};
export type BlockData = { card: BlockCard; sequenceId: string; index: number; last: boolean };
export type LaneNode = Node<LaneData, "lane">;
export type BlockNode = Node<BlockData, "block">;
/** Where a dragged block would land: an empty slot in its lane, the size of a card. */
export type DropSlotNode = Node<Record<string, never>, "drop">;
export type CanvasNode = LaneNode | BlockNode | DropSlotNode;

/** A lane's box on the canvas and the top of each of its blocks (from the lane's top), in order. */
export type LaneGeometry = {
  sequenceId: string;
  name: string;
  x: number;
  y: number;
  width: number;
  height: number;
  blocks: { id: string; top: number }[];
};

/**
 * Where a block's handles are (top centre in, bottom centre out, as `BlockNodeView` draws them).
 * Given up front, React Flow need not render every node once to measure them, so with
 * `onlyRenderVisibleElements` a long flow mounts only what is in view from the first frame.
 */
const BLOCK_HANDLES: NodeHandle[] = [
  { type: "target", position: Position.Top, x: BLOCK_WIDTH / 2, y: 0, width: 1, height: 1 },
  { type: "source", position: Position.Bottom, x: BLOCK_WIDTH / 2, y: BLOCK_HEIGHT, width: 1, height: 1 },
];

/**
 * Lays the bot out: each sequence a column (a lane node behind its blocks), its blocks stacked
 * top to bottom, an edge between consecutive blocks. Every flow's sequences sit side by side.
 */
export type FlowLayout = { nodes: CanvasNode[]; edges: Edge[]; lanes: LaneGeometry[] };

export function layout(bot: BotView, activeSequence: string | undefined): FlowLayout {
  const nodes: CanvasNode[] = [];
  const edges: Edge[] = [];
  const lanes: LaneGeometry[] = [];
  const sequences = bot.flows.flatMap((flow) => flow.sequences);
  sequences.forEach((sequence, column) => {
    const x = column * (LANE_WIDTH + LANE_GAP);
    const count = sequence.blocks.length;
    const body = count === 0 ? EMPTY_LANE_BODY : count * (BLOCK_HEIGHT + BLOCK_GAP) - BLOCK_GAP + LANE_PADDING;
    const lane: LaneGeometry = {
      sequenceId: sequence.id,
      name: sequence.name,
      x,
      y: 0,
      width: LANE_WIDTH,
      height: LANE_HEADER + body + LANE_PADDING,
      blocks: [],
    };
    lanes.push(lane);
    nodes.push({
      id: `lane-${sequence.id}`,
      type: "lane",
      position: { x, y: 0 },
      width: lane.width,
      height: lane.height,
      data: { sequenceId: sequence.id, name: sequence.name, blocks: count, active: sequence.id === activeSequence },
      draggable: false,
      selectable: false,
      focusable: false,
      connectable: false,
      zIndex: 0,
      handles: [],
      ariaLabel: `Sequence ${sequence.name}`,
      domAttributes: { "data-testid": `sequence-${sequence.id}` } as Record<string, string>,
    });
    sequence.blocks.forEach((card, index) => {
      const top = LANE_HEADER + index * (BLOCK_HEIGHT + BLOCK_GAP);
      lane.blocks.push({ id: card.id, top });
      nodes.push({
        id: card.id,
        type: "block",
        position: { x: x + LANE_PADDING, y: top },
        width: BLOCK_WIDTH,
        height: BLOCK_HEIGHT,
        data: { card, sequenceId: sequence.id, index, last: index === count - 1 },
        // Dragged to another place or sequence (FlowCanvas); a drop moves it through Rust.
        draggable: true,
        connectable: false,
        zIndex: 1,
        handles: BLOCK_HANDLES,
        ariaLabel: blockLabel(card),
        domAttributes: { "data-testid": `block-${card.id}` } as Record<string, string>,
      });
      const next = sequence.blocks[index + 1];
      if (next !== undefined) {
        edges.push({
          id: `edge-${card.id}-${next.id}`,
          source: card.id,
          target: next.id,
          type: "straight",
          selectable: false,
          focusable: false,
          zIndex: 1,
        });
      }
    });
  });
  return { nodes, edges, lanes };
}

/** The view opens on the start of the flow: the first few blocks of each lane. */
const OPENING_BLOCKS = 4;
const OPENING_PADDING = 0.2;

/**
 * The viewport that shows the start of the flow (the first few blocks of each lane, or every lane
 * when there is no block yet) in a canvas of `width` x `height`, as React Flow's fitView would
 * once it had measured everything; zoomed out no further than `minZoom` and in no further than 1.
 */
export function openingViewport(nodes: CanvasNode[], width: number, height: number, minZoom: number): Viewport {
  const first = nodes.filter((node) => node.type === "block" && node.data.index < OPENING_BLOCKS);
  const shown = first.length > 0 ? first : nodes;
  if (shown.length === 0 || width <= 0 || height <= 0) return { x: 0, y: 0, zoom: 1 };
  return getViewportForBounds(getNodesBounds(shown), width, height, minZoom, 1, OPENING_PADDING);
}
