import { Handle, Position, type NodeProps } from "@xyflow/react";
import { memo } from "react";
import { BlockCardBody } from "./BlockCardBody.tsx";
import type { BlockNode } from "./layout.ts";

/** A block's card as a canvas node: the card, with the hidden handles its edges attach to. */
export const BlockNodeView = memo(function BlockNodeView({ data, selected }: NodeProps<BlockNode>) {
  const { card } = data;
  return (
    <div className={`block-card block-card-${card.kind}${selected ? " block-card-selected" : ""}`}>
      <Handle type="target" position={Position.Top} isConnectable={false} className="block-handle" />
      <BlockCardBody {...data} />
      <Handle type="source" position={Position.Bottom} isConnectable={false} className="block-handle" />
    </div>
  );
});
