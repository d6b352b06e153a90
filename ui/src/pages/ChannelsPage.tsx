import { useCallback, useEffect, useState } from "react";
import {
  botChannels,
  connectAccount,
  listBots,
  removeAccount,
  setIntegration,
  type AccountView,
  type BotCard,
  type ChannelKind,
  type ChannelRow,
  type ChannelsView,
} from "../backend/builder.ts";
import { ChannelCard } from "../components/channels/ChannelCard.tsx";
import { ConfirmDialog } from "../components/common/Dialog.tsx";
import { EmptyState } from "../components/common/EmptyState.tsx";
import { Icon } from "../components/common/Icon.tsx";
import { PageHeader } from "../components/common/PageHeader.tsx";
import { useToast } from "../components/toast/useToast.ts";
import { describeError } from "../errors/describeError.ts";

type Loaded<T> = { status: "loading" } | { status: "ready"; value: T } | { status: "failed"; message: string };

/** The channels of one bot, with a picker to change bot; a way back when a block sent us here. */
export function ChannelsPage({
  botId,
  back,
  onPickBot,
  onBack,
  onOpenBot,
}: {
  botId: string | undefined;
  back: { blockName: string } | undefined;
  onPickBot: (botId: string) => void;
  onBack: () => void;
  onOpenBot: (botId: string) => void;
}) {
  const [bots, setBots] = useState<Loaded<BotCard[]>>({ status: "loading" });

  useEffect(() => {
    listBots().then(
      (value) => {
        setBots({ status: "ready", value });
      },
      (error: unknown) => {
        setBots({ status: "failed", message: describeError(error) });
      },
    );
  }, []);

  const list = bots.status === "ready" ? bots.value : [];
  const chosen = botId ?? list[0]?.id;

  return (
    <div className="page">
      {back !== undefined && (
        <button type="button" className="button button-small back-button" onClick={onBack}>
          <Icon name="back" size={14} />
          Back to {back.blockName}
        </button>
      )}
      <PageHeader
        title="Channels"
        lead="A bot reaches contacts through the channels turned on here, each with its accounts. A webhook block can only be submitted once its bot has a connected channel."
        actions={
          list.length > 0 && chosen !== undefined ? (
            <label className="bot-picker">
              <span className="field-label">Bot</span>
              <select
                className="input"
                value={chosen}
                onChange={(event) => {
                  onPickBot(event.target.value);
                }}
              >
                {list.map((bot) => (
                  <option key={bot.id} value={bot.id}>
                    {bot.name}
                  </option>
                ))}
              </select>
            </label>
          ) : undefined
        }
      />
      {bots.status === "failed" && <p className="inline-error">Could not read the bots: {bots.message}</p>}
      {bots.status === "ready" && chosen === undefined && (
        <EmptyState icon="plug" title="No bots yet">
          <p>Channels belong to a bot. Create a bot on the Dashboard, then connect its channels here.</p>
        </EmptyState>
      )}
      {chosen !== undefined && <BotChannels key={chosen} botId={chosen} onOpenBot={onOpenBot} />}
    </div>
  );
}

function BotChannels({ botId, onOpenBot }: { botId: string; onOpenBot: (botId: string) => void }) {
  const toast = useToast();
  const [view, setView] = useState<Loaded<ChannelsView>>({ status: "loading" });
  const [removing, setRemoving] = useState<{ channel: ChannelRow; account: AccountView } | null>(null);
  const [removeError, setRemoveError] = useState<string | undefined>(undefined);

  useEffect(() => {
    botChannels(botId).then(
      (value) => {
        setView({ status: "ready", value });
      },
      (error: unknown) => {
        setView({ status: "failed", message: describeError(error) });
      },
    );
  }, [botId]);

  const toggle = useCallback(
    (channel: ChannelKind, active: boolean) => {
      setIntegration(botId, channel, active).then(
        (value) => {
          setView({ status: "ready", value });
        },
        (error: unknown) => {
          toast.show(describeError(error), "error");
        },
      );
    },
    [botId, toast],
  );

  if (view.status === "loading") return <p className="muted">Loading channels…</p>;
  if (view.status === "failed") return <p className="inline-error">Could not read the channels: {view.message}</p>;
  const channels = view.value;

  return (
    <>
      <p className="channels-bot">
        Channels of{" "}
        <button
          type="button"
          className="link-button"
          onClick={() => {
            onOpenBot(channels.botId);
          }}
        >
          {channels.botName}
        </button>
      </p>
      <ul className="channel-grid">
        {channels.channels.map((channel) => (
          <ChannelCard
            key={channel.channel}
            channel={channel}
            onToggle={(active) => {
              toggle(channel.channel, active);
            }}
            onConnect={async (input) => {
              const value = await connectAccount(botId, channel.channel, input);
              setView({ status: "ready", value });
              toast.show(`Connected ${input.name.trim()} to ${channel.label}`);
              return value;
            }}
            onRemove={(account) => {
              setRemoveError(undefined);
              setRemoving({ channel, account });
            }}
          />
        ))}
      </ul>
      {removing !== null && (
        <ConfirmDialog
          title={`Remove ${removing.account.name}?`}
          confirmLabel="Remove account"
          error={removeError}
          onCancel={() => {
            setRemoving(null);
          }}
          onConfirm={() => {
            removeAccount(botId, removing.channel.channel, removing.account.alias).then(
              (value) => {
                setView({ status: "ready", value });
                setRemoving(null);
              },
              (error: unknown) => {
                setRemoveError(describeError(error));
              },
            );
          }}
        >
          <p>
            {removing.account.name} (<code>{removing.account.alias}</code>) will be disconnected from{" "}
            {removing.channel.label}. Webhook blocks that send through it will need another account before they
            can be submitted again.
          </p>
        </ConfirmDialog>
      )}
    </>
  );
}
