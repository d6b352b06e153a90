import { Icon } from "../components/common/Icon.tsx";
import { PageHeader } from "../components/common/PageHeader.tsx";

export function ChannelsPage() {
  return (
    <div className="page">
      <PageHeader
        title="Channels"
        lead="A bot reaches contacts through the channels connected here: WhatsApp, Livechat, Telegram, Messenger, Instagram or SMS, each with its accounts."
      />
      <section className="empty-state" aria-labelledby="no-channels-title">
        <div className="empty-state-icon">
          <Icon name="plug" size={28} />
        </div>
        <h2 id="no-channels-title">No channels connected</h2>
        <p>
          Connecting channels and their accounts arrives in a later version. A webhook block can
          only be submitted once its bot has a connected channel.
        </p>
      </section>
    </div>
  );
}
