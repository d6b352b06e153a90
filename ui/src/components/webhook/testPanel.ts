import type { WebhookPanel } from "../../backend/panel.ts";

/** A webhook panel as Rust sends it, for the panel's tests. */
export function testPanel(overrides: Partial<WebhookPanel> = {}): WebhookPanel {
  return {
    botId: "bot-1",
    blockId: "wh-1",
    name: "Welcome webhook",
    status: "draft",
    form: {
      type: "conversational",
      channel: "whatsapp",
      account: "support-line",
      mappings: [{ data: "data.name", set_variable: "customer_name", optional: false }],
      contact_reference_id: "",
    },
    types: [
      {
        value: "conversational",
        label: "Conversational",
        explanation: "The data drives a direct reply to the contact.",
      },
      {
        value: "workflow",
        label: "Workflow",
        explanation: "Automation with no immediate reply to the contact.",
      },
    ],
    productionUrl: "https://api.example.test/v1/webhooks/wh-1",
    developmentUrl: "http://127.0.0.1:8787/dev/webhooks/wh-1",
    tokenMasked: "whs_••••k5E",
    channels: [
      {
        channel: "whatsapp",
        label: "WhatsApp",
        accounts: [{ alias: "support-line", label: "Support (+14155550100)" }],
      },
    ],
    noConnectedChannel: false,
    variables: [
      { name: "sys_contact_reference_id", source: "built_in" },
      { name: "customer_name", source: "new_here" },
    ],
    mappings: [{ setVariable: "customer_name", createsVariable: true }],
    contact: {
      expectsPhone: true,
      placeholder: "+14155550123 or {customer_phone}",
      normalised: null,
      offers: ["{sys_contact_reference_id}", "{customer_name}"],
    },
    problems: [],
    submit: { enabled: true, reason: null },
    curl: {
      production: "curl -X POST https://api.example.test/…",
      development: "curl -X POST http://127.0.0.1:8787/…",
      productionPowershell: "Invoke-RestMethod -Method Post -Uri 'https://api.example.test/…'",
      developmentPowershell: "Invoke-RestMethod -Method Post -Uri 'http://127.0.0.1:8787/…'",
    },
    sample: null,
    canUndo: false,
    canRedo: false,
    ...overrides,
  };
}
