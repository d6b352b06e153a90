import type { Rect, Viewport } from "@xyflow/react";

/**
 * Whether a node's `bounds` (in flow coordinates, as React Flow's `getNodesBounds` gives them:
 * the size set on the node when it has one, else the size measured) are wholly inside the
 * canvas's visible `width` x `height` at this viewport, and their centre in flow coordinates
 * (where `setCenter` would bring it).
 */
export function placeInView(
  bounds: Rect,
  { x, y, zoom }: Viewport,
  width: number,
  height: number,
): { inside: boolean; center: { x: number; y: number } } {
  const left = bounds.x * zoom + x;
  const top = bounds.y * zoom + y;
  return {
    inside: left >= 0 && top >= 0 && left + bounds.width * zoom <= width && top + bounds.height * zoom <= height,
    center: { x: bounds.x + bounds.width / 2, y: bounds.y + bounds.height / 2 },
  };
}
