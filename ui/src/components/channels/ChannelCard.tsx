import { useState } from "react";
import type { AccountInput, AccountView, ChannelRow, ChannelsView } from "../../backend/builder.ts";
import { Icon } from "../common/Icon.tsx";
import { ConnectAccountForm } from "./ConnectAccountForm.tsx";
import { useReadOnly } from "../../app/readOnly.ts";

/** One channel of a bot: its integration switch, its accounts, and a form to connect one more. */
export function ChannelCard({
  channel,
  onToggle,
  onConnect,
  onRemove,
}: {
  channel: ChannelRow;
  onToggle: (active: boolean) => void;
  onConnect: (input: AccountInput) => Promise<ChannelsView>;
  onRemove: (account: AccountView) => void;
}) {
  const [connecting, setConnecting] = useState(false);
  // A read-only file: the channels can be read, not connected, removed or switched.
  const readOnly = useReadOnly();
  const state = channel.connected
    ? { label: "Connected", className: "badge badge-connected" }
    : channel.integrationActive
      ? { label: "No account yet", className: "badge badge-warning" }
      : null;

  return (
    <li className="channel-card" data-testid={`channel-${channel.channel}`} aria-label={channel.label}>
      <div className="channel-card-head">
        <h2 className="channel-card-title">{channel.label}</h2>
        {state !== null && <span className={state.className}>{state.label}</span>}
        <label className="switch">
          <input
            type="checkbox"
            role="switch"
            checked={channel.integrationActive}
            disabled={readOnly}
            aria-label={`${channel.label} integration`}
            onChange={(event) => {
              onToggle(event.target.checked);
            }}
          />
          <span className="switch-track" aria-hidden="true" />
          <span className="switch-text" aria-hidden="true">
            {channel.integrationActive ? "On" : "Off"}
          </span>
        </label>
      </div>
      {channel.accounts.length > 0 ? (
        <ul className="account-list" aria-label={`${channel.label} accounts`}>
          {channel.accounts.map((account) => (
            <li key={account.alias} className="account-row">
              <div className="account-text">
                <span className="account-name">{account.name}</span>
                <span className="muted">
                  <code>{account.alias}</code>
                  {account.phoneNumber !== null && ` · ${account.phoneNumber}`}
                </span>
              </div>
              <button
                type="button"
                className="button button-small button-quiet"
                aria-label={`Remove ${account.name} from ${channel.label}`}
                disabled={readOnly}
                onClick={() => {
                  onRemove(account);
                }}
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted channel-card-empty">No accounts connected.</p>
      )}
      {connecting ? (
        <ConnectAccountForm
          channel={channel}
          onCancel={() => {
            setConnecting(false);
          }}
          onConnect={async (input) => {
            const view = await onConnect(input);
            setConnecting(false);
            return view;
          }}
        />
      ) : (
        <button
          type="button"
          className="button button-small channel-card-connect"
          aria-label={`Connect a ${channel.label} account`}
          disabled={readOnly}
          onClick={() => {
            setConnecting(true);
          }}
        >
          <Icon name="plus" size={14} />
          Connect account
        </button>
      )}
    </li>
  );
}
