import { useContext } from "react";
import type { BlockCard, BlockStatus } from "../../backend/builder.ts";
import { Icon } from "../common/Icon.tsx";
import { CanvasActionsContext } from "./CanvasActions.ts";
import { MoveToMenu } from "./MoveToMenu.tsx";
import { useReadOnly } from "../../app/readOnly.ts";

const STATUS: Record<BlockStatus, { label: string; className: string }> = {
  draft: { label: "Draft", className: "badge" },
  submitted: { label: "Submitted", className: "badge badge-connected" },
  edited: { label: "Edited", className: "badge badge-accent" },
};

/**
 * What a block's card shows: kind, name, what it does, its state, and its move buttons (up, down,
 * and to another sequence; dragging the card on the canvas does the same).
 */
export function BlockCardBody({
  card,
  sequenceId,
  index,
  last,
}: {
  card: BlockCard;
  sequenceId: string;
  index: number;
  last: boolean;
}) {
  const { move } = useContext(CanvasActionsContext);
  // A read-only file offers no moves: the card shows the block, nothing to press.
  const readOnly = useReadOnly();
  const status = card.status == null ? null : STATUS[card.status];
  return (
    <>
      <div className="block-card-head">
        <span className="block-card-kind" aria-hidden="true">
          <Icon name={card.kind === "webhook" ? "webhook" : "message"} size={16} />
        </span>
        <span className="block-card-name">{card.name}</span>
        {!readOnly && (
          <span className="block-card-moves nodrag nopan nokey">
            <button
              type="button"
              className="icon-button icon-button-tiny"
              aria-label={`Move ${card.name} up`}
              title="Move up"
              disabled={index === 0}
              onClick={(event) => {
                event.stopPropagation();
                void move(card.id, sequenceId, index - 1);
              }}
            >
              <Icon name="up" size={14} />
            </button>
            <button
              type="button"
              className="icon-button icon-button-tiny"
              aria-label={`Move ${card.name} down`}
              title="Move down"
              disabled={last}
              onClick={(event) => {
                event.stopPropagation();
                void move(card.id, sequenceId, index + 1);
              }}
            >
              <Icon name="down" size={14} />
            </button>
            <MoveToMenu card={card} sequenceId={sequenceId} />
          </span>
        )}
      </div>
      <p className="block-card-summary">{card.summary}</p>
      <div className="block-card-foot">
        {status !== null && (
          <span className={status.className} data-testid="block-status">
            {status.label}
          </span>
        )}
        {card.problems > 0 && (
          <span className="badge badge-danger" data-testid="block-problems">
            {card.problems} to fix
          </span>
        )}
      </div>
    </>
  );
}
