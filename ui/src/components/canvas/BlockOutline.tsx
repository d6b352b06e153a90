import type { BotView } from "../../backend/builder.ts";
import { BlockCardBody } from "./BlockCardBody.tsx";
import { CanvasActionsContext, type CanvasActions } from "./CanvasActions.ts";
import { blockLabel } from "./blockLabel.ts";
import { useReadOnly } from "../../app/readOnly.ts";

/**
 * The flow without the canvas: each sequence a column of block cards, in order. Shown when the
 * canvas cannot start, so every block stays reachable and editable.
 */
export function BlockOutline({
  bot,
  selectedBlock,
  activeSequence,
  actions,
  onSelectBlock,
}: {
  bot: BotView;
  selectedBlock: string | undefined;
  activeSequence: string | undefined;
  actions: CanvasActions;
  onSelectBlock: (blockId: string, sequenceId: string) => void;
}) {
  const sequences = bot.flows.flatMap((flow) => flow.sequences);
  const readOnly = useReadOnly();
  return (
    <CanvasActionsContext.Provider value={actions}>
      <div className="outline">
        {sequences.map((sequence) => (
          <section
            key={sequence.id}
            className={`lane outline-lane${sequence.id === activeSequence ? " lane-active" : ""}`}
            aria-label={`Sequence ${sequence.name}`}
            data-testid={`sequence-${sequence.id}`}
          >
            <button
              type="button"
              className="lane-head outline-lane-head"
              onClick={() => {
                actions.selectSequence(sequence.id);
              }}
            >
              <span className="lane-name">{sequence.name}</span>
              <span className="lane-count">{sequence.blocks.length}</span>
            </button>
            {sequence.blocks.length === 0 && (
              <p className="lane-empty">{readOnly ? "No blocks." : "No blocks yet. Add one from the toolbar above."}</p>
            )}
            <ol className="outline-blocks">
              {sequence.blocks.map((card, index) => (
                <li key={card.id}>
                  <div
                    role="group"
                    tabIndex={0}
                    aria-label={blockLabel(card)}
                    data-testid={`block-${card.id}`}
                    className={`block-card block-card-${card.kind}${card.id === selectedBlock ? " block-card-selected" : ""}`}
                    onClick={() => {
                      onSelectBlock(card.id, sequence.id);
                    }}
                    onKeyDown={(event) => {
                      if (event.key === "Enter" && event.target === event.currentTarget) {
                        onSelectBlock(card.id, sequence.id);
                      }
                    }}
                  >
                    <BlockCardBody
                      card={card}
                      sequenceId={sequence.id}
                      index={index}
                      last={index === sequence.blocks.length - 1}
                    />
                  </div>
                </li>
              ))}
            </ol>
          </section>
        ))}
      </div>
    </CanvasActionsContext.Provider>
  );
}
