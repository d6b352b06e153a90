import type { BotCard } from "../../backend/builder.ts";
import { Icon, type IconName } from "../common/Icon.tsx";
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
          <CardTool action="Rename" bot={bot.name} icon="pencil" onClick={onRename} disabled={readOnly} />
          <CardTool action="Duplicate" bot={bot.name} icon="copy" onClick={onDuplicate} disabled={readOnly} />
          <CardTool action="Export" bot={bot.name} icon="download" onClick={onExport} />
          <CardTool action="Delete" bot={bot.name} icon="trash" onClick={onDelete} disabled={readOnly} danger />
        </div>
        <button type="button" className="button button-small" aria-label={`Open ${bot.name}`} onClick={onOpen}>
          Open
        </button>
      </div>
    </li>
  );
}

/** One of a card's icon buttons: named "Rename Acme sign-ups" for screen readers and tests. */
function CardTool({
  action,
  bot,
  icon,
  onClick,
  disabled = false,
  danger = false,
}: {
  action: string;
  bot: string;
  icon: IconName;
  onClick: () => void;
  disabled?: boolean;
  danger?: boolean;
}) {
  return (
    <button
      type="button"
      className={danger ? "icon-button icon-button-danger" : "icon-button"}
      aria-label={`${action} ${bot}`}
      title={action}
      onClick={onClick}
      disabled={disabled}
    >
      <Icon name={icon} size={16} />
    </button>
  );
}
