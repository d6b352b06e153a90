import { EmptyState } from "../components/common/EmptyState.tsx";
import { PageHeader } from "../components/common/PageHeader.tsx";

export function ChannelsPage() {
  return (
    <div className="page">
      <PageHeader
        title="Channels"
        lead="A bot reaches contacts through the channels connected here: WhatsApp, Livechat, Telegram, Messenger, Instagram or SMS, each with its accounts."
      />
      <EmptyState icon="plug" title="No channels connected">
        <p>
          Connecting channels and their accounts arrives in a later version. A webhook block can
          only be submitted once its bot has a connected channel.
        </p>
      </EmptyState>
    </div>
  );
}
