import { Icon } from "../common/Icon.tsx";
import { useReadOnly } from "../../app/readOnly.ts";

/** The builder's toolbar: add blocks to the active sequence, or add a sequence. */
export function Palette({
  target,
  busy,
  onAddWebhook,
  onAddMessage,
  onAddSequence,
}: {
  target: string | undefined;
  busy: boolean;
  onAddWebhook: () => void;
  onAddMessage: () => void;
  onAddSequence: () => void;
}) {
  // A read-only file: the toolbar stays in its place, greyed out (the banner above says why).
  const readOnly = useReadOnly();
  const locked = busy || readOnly;
  const noTarget = target === undefined;
  return (
    <div className="palette" role="toolbar" aria-label="Add to the flow">
      <button type="button" className="button button-small" onClick={onAddWebhook} disabled={locked || noTarget}>
        <Icon name="webhook" size={15} />
        Add webhook block
      </button>
      <button type="button" className="button button-small" onClick={onAddMessage} disabled={locked || noTarget}>
        <Icon name="message" size={15} />
        Add message block
      </button>
      <span className="palette-divider" aria-hidden="true" />
      <button type="button" className="button button-small" onClick={onAddSequence} disabled={locked}>
        <Icon name="sequence" size={15} />
        Add sequence
      </button>
      {target !== undefined && (
        <span className="palette-target muted" data-testid="palette-target">
          Blocks go to <strong>{target}</strong>
        </span>
      )}
    </div>
  );
}
