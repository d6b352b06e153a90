import type { BlockCard } from "../../backend/builder.ts";
import { Icon } from "../common/Icon.tsx";

type Props = {
  botId: string;
  block: BlockCard;
  onOpenChannels: () => void;
  onChanged: () => void;
  onClose: () => void;
};

/** The side panel of the selected block: the webhook form or the message text. */
export function PanelHost(props: Props) {
  const { block, onClose } = props;
  return (
    <aside className="panel-host" aria-label={`${block.kind === "webhook" ? "Webhook" : "Message"} block panel`}>
      <button type="button" className="icon-button panel-host-close" aria-label="Close panel" title="Close" onClick={onClose}>
        <Icon name="close" size={16} />
      </button>
      {/* The block panels land in their own change; until then the host says so. */}
      <p className="muted panel-host-loading">Loading panel…</p>
    </aside>
  );
}
