import type { BlockCard } from "../../backend/builder.ts";
import { Icon } from "../common/Icon.tsx";
import { MessagePanel } from "../message/MessagePanel.tsx";
import { WebhookPanel } from "../webhook/WebhookPanel.tsx";

/** The side panel of the selected block: the webhook form or the message text. */
export function PanelHost({
  botId,
  block,
  onOpenChannels,
  onChanged,
  onClose,
}: {
  botId: string;
  block: BlockCard;
  onOpenChannels: () => void;
  onChanged: () => void;
  onClose: () => void;
}) {
  return (
    <aside className="panel-host" aria-label={`${block.kind === "webhook" ? "Webhook" : "Message"} block panel`}>
      <div className="panel-host-bar">
        <span className="panel-host-kind">
          <Icon name={block.kind === "webhook" ? "webhook" : "message"} size={14} />
          {block.kind === "webhook" ? "Webhook block" : "Message block"}
        </span>
        <button type="button" className="icon-button" aria-label="Close panel" title="Close" onClick={onClose}>
          <Icon name="close" size={16} />
        </button>
      </div>
      {block.kind === "webhook" ? (
        <WebhookPanel key={block.id} botId={botId} blockId={block.id} onOpenChannels={onOpenChannels} onChanged={onChanged} />
      ) : (
        <MessagePanel key={block.id} botId={botId} blockId={block.id} onChanged={onChanged} />
      )}
    </aside>
  );
}
