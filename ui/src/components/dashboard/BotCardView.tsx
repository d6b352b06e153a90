import type { BotCard } from "../../backend/builder.ts";
import { Icon } from "../common/Icon.tsx";
import { countOf } from "../common/countOf.ts";
import { useReadOnly } from "../../app/readOnly.ts";

/** One bot on the dashboard: its channels, its webhook blocks, when it changed, what to do. */
export function BotCardView({
  bot,
  onOpen,
  onRename,
  onDuplicate,
  onDelete,
  onExport,
}: {
  bot: BotCard;
  onOpen: () => void;
  onRename: () => void;
  onDuplicate: () => void;
  onDelete: () => void;
  onExport: () => void;
}) {
  const readOnly = useReadOnly();
  const blocks = countOf(bot.webhookBlocks, "webhook block", "webhook blocks");
  return (
    <li className="bot-card" data-testid={`bot-card-${bot.id}`} aria-label={bot.name}>
      <div className="bot-card-top">
        <span className="bot-card-icon" aria-hidden="true">
          <Icon name="bots" />
        </span>
        <h3 className="bot-card-name" title={bot.name}>
          <button type="button" className="link-button" onClick={onOpen}>
            {bot.name}
          </button>
        </h3>
      </div>
      <ul className="badges" aria-label="Channels">
        {!bot.connected && <li className="badge badge-warning">No channel connected</li>}
        {bot.channels.map((badge) => (
          <li key={badge.channel} className={badge.connected ? "badge badge-connected" : "badge"}>
            {badge.label}
            <span className="visually-hidden">{badge.connected ? " connected" : " not connected"}</span>
          </li>
        ))}
      </ul>
      <p className="bot-card-counts">
        {blocks} · {String(bot.submittedBlocks)} submitted
      </p>
      <div className="bot-card-bottom">
        <span className="muted bot-card-time">
          Changed <time dateTime={bot.updatedAt}>{bot.changed}</time>
        </span>
        <div className="bot-card-tools">
          <button
            type="button"
            className="icon-button"
            aria-label={`Rename ${bot.name}`}
            title="Rename"
            onClick={onRename}
            disabled={readOnly}
          >
            <Icon name="pencil" size={16} />
          </button>
          <button
            type="button"
            className="icon-button"
            aria-label={`Duplicate ${bot.name}`}
            title="Duplicate"
            onClick={onDuplicate}
            disabled={readOnly}
          >
            <Icon name="copy" size={16} />
          </button>
          <button
            type="button"
            className="icon-button"
            aria-label={`Export ${bot.name}`}
            title="Export"
            onClick={onExport}
          >
            <Icon name="download" size={16} />
          </button>
          <button
            type="button"
            className="icon-button icon-button-danger"
            aria-label={`Delete ${bot.name}`}
            title="Delete"
            onClick={onDelete}
            disabled={readOnly}
          >
            <Icon name="trash" size={16} />
          </button>
        </div>
        <button type="button" className="button button-small" aria-label={`Open ${bot.name}`} onClick={onOpen}>
          Open
        </button>
      </div>
    </li>
  );
}
