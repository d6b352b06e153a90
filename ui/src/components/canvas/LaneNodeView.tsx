import type { NodeProps } from "@xyflow/react";
import { memo, useContext } from "react";
import { Icon } from "../common/Icon.tsx";
import { CanvasActionsContext } from "./CanvasActions.ts";
import type { LaneNode } from "./layout.ts";
import { useReadOnly } from "../../app/readOnly.ts";

/**
 * A sequence's column behind its blocks: its name, where new blocks go when it is active, and
 * whether a dragged block would land in it.
 */
export const LaneNodeView = memo(function LaneNodeView({ data }: NodeProps<LaneNode>) {
  const actions = useContext(CanvasActionsContext);
  const readOnly = useReadOnly();
  return (
    <div className={`lane${data.active ? " lane-active" : ""}${data.dropping === true ? " lane-drop" : ""}`}>
      <div className="lane-head">
        <Icon name="sequence" size={14} />
        <span className="lane-name">{data.name}</span>
        <span className="lane-count">{data.blocks}</span>
        {!readOnly && (
          <button
            type="button"
            className="icon-button lane-rename"
            aria-label={`Rename sequence ${data.name}`}
            title="Rename"
            onClick={(event) => {
              event.stopPropagation();
              actions.renameSequence(data.sequenceId, data.name);
            }}
          >
            <Icon name="pencil" size={14} />
          </button>
        )}
      </div>
      {data.blocks === 0 && (
        <p className="lane-empty">{readOnly ? "No blocks." : "No blocks yet. Add one from the toolbar above."}</p>
      )}
    </div>
  );
});
