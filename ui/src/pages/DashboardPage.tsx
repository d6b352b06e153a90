import { EmptyState } from "../components/common/EmptyState.tsx";
import { PageHeader } from "../components/common/PageHeader.tsx";

/** The three uses the webhook block was made for; each becomes a template with the builder. */
const UPCOMING_TEMPLATES = [
  {
    name: "Welcome on sign-up",
    description: "Greet a contact the moment your sign-up form sends their details.",
  },
  {
    name: "Order received alert",
    description: "Confirm an order as soon as your shop records it.",
  },
  {
    name: "Abandoned cart",
    description: "Remind a contact of the items still waiting in their cart.",
  },
] as const;

export function DashboardPage() {
  return (
    <div className="page">
      <PageHeader
        title="Bots"
        lead="A bot is a flow of blocks. Its webhook blocks let a shop, a CRM or a sign-up form push data in, so the bot can greet, alert or re-engage a contact."
      />
      <EmptyState icon="bots" title="No bots yet">
        <p>
          Bots and templates arrive with the builder, the next part of Webhook Studio. You will
          start a bot from a blank flow or from one of these templates.
        </p>
        <h3 className="section-label" id="upcoming-templates-title">
          Templates coming with the builder
        </h3>
        <ul className="template-list" aria-labelledby="upcoming-templates-title">
          {UPCOMING_TEMPLATES.map((template) => (
            <li key={template.name} className="template-card">
              <h4>{template.name}</h4>
              <p>{template.description}</p>
            </li>
          ))}
        </ul>
      </EmptyState>
    </div>
  );
}
