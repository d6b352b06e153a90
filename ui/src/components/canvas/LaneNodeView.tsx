import type { NodeProps } from "@xyflow/react";
import { memo } from "react";
import { Icon } from "../common/Icon.tsx";
import type { LaneNode } from "./layout.ts";

/** A sequence's column behind its blocks: its name, and where new blocks go when it is active. */
export const LaneNodeView = memo(function LaneNodeView({ data }: NodeProps<LaneNode>) {
  return (
    <div className={`lane${data.active ? " lane-active" : ""}`}>
      <div className="lane-head">
        <Icon name="sequence" size={14} />
        <span className="lane-name">{data.name}</span>
        <span className="lane-count">{data.blocks}</span>
      </div>
      {data.blocks === 0 && <p className="lane-empty">No blocks yet. Add one from the toolbar above.</p>}
    </div>
  );
});
