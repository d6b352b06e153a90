import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import {
  botChannels,
  connectAccount,
  listBots,
  setIntegration,
  type ChannelRow,
  type ChannelsView,
  type EditorError,
} from "../backend/builder.ts";
import { ReadOnlyContext } from "../app/readOnly.ts";
import { ChannelsPage } from "./ChannelsPage.tsx";

vi.mock("../backend/builder.ts", async (importOriginal) => ({
  ...(await importOriginal<typeof import("../backend/builder.ts")>()),
  listBots: vi.fn(),
  botChannels: vi.fn(),
  connectAccount: vi.fn(),
  removeAccount: vi.fn(),
  setIntegration: vi.fn(),
}));

function row(channel: ChannelRow["channel"], label: string, phone: boolean): ChannelRow {
  return { channel, label, integrationActive: false, connected: false, accounts: [], usesPhoneNumbers: phone };
}

const VIEW: ChannelsView = {
  botId: "bot-acme",
  botName: "Acme sign-ups",
  channels: [
    row("whatsapp", "WhatsApp", true),
    row("livechat", "Livechat", false),
    row("telegram", "Telegram", false),
    row("messenger", "Messenger", false),
    row("instagram", "Instagram", false),
    row("sms", "SMS", true),
  ],
};

describe("the channels page", () => {
  beforeEach(() => {
    vi.mocked(listBots).mockResolvedValue([
      {
        id: "bot-acme",
        name: "Acme sign-ups",
        updatedAt: "2026-11-25T10:00:00Z",
        changed: "Nov 25, 2026, 10:00 AM",
        channels: [],
        connected: false,
        webhookBlocks: 0,
        submittedBlocks: 0,
      },
    ]);
    vi.mocked(botChannels).mockResolvedValue(VIEW);
  });

  it("lists the six channels, each with its integration switch", async () => {
    const user = userEvent.setup();
    vi.mocked(setIntegration).mockResolvedValue({
      ...VIEW,
      channels: VIEW.channels.map((c) => (c.channel === "telegram" ? { ...c, integrationActive: true } : c)),
    });
    render(<ChannelsPage botId="bot-acme" back={undefined} onPickBot={vi.fn()} onBack={vi.fn()} onOpenBot={vi.fn()} />);

    for (const label of ["WhatsApp", "Livechat", "Telegram", "Messenger", "Instagram", "SMS"]) {
      expect(await screen.findByRole("switch", { name: `${label} integration` })).not.toBeChecked();
    }
    await user.click(screen.getByRole("switch", { name: "Telegram integration" }));
    expect(setIntegration).toHaveBeenCalledWith("bot-acme", "telegram", true);
    expect(await screen.findByRole("switch", { name: "Telegram integration" })).toBeChecked();
  });

  it("on a read-only file, shows the channels and their accounts, and switches or connects nothing", async () => {
    const user = userEvent.setup();
    vi.mocked(setIntegration).mockClear();
    const account = { name: "Support line", alias: "support-line", phoneNumber: "+14155550100" };
    vi.mocked(botChannels).mockResolvedValue({
      ...VIEW,
      channels: VIEW.channels.map((c) =>
        c.channel === "whatsapp" ? { ...c, integrationActive: true, connected: true, accounts: [account] } : c,
      ),
    });
    render(
      <ReadOnlyContext.Provider value="studio.db was written by a newer Webhook Studio.">
        <ChannelsPage botId="bot-acme" back={undefined} onPickBot={vi.fn()} onBack={vi.fn()} onOpenBot={vi.fn()} />
      </ReadOnlyContext.Provider>,
    );

    const whatsapp = await screen.findByRole("switch", { name: "WhatsApp integration" });
    expect(whatsapp).toBeChecked();
    expect(whatsapp).toBeDisabled();
    expect(screen.getByText("Support line")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Remove Support line from WhatsApp" })).toBeDisabled();
    expect(screen.getByRole("button", { name: "Connect a Telegram account" })).toBeDisabled();
    await user.click(screen.getByRole("switch", { name: "Telegram integration" }));
    expect(setIntegration).not.toHaveBeenCalled();
    expect(screen.getByRole("switch", { name: "Telegram integration" })).not.toBeChecked();
  });

  it("shows Rust's error by its field and keeps what was typed", async () => {
    const user = userEvent.setup();
    const refused: EditorError = {
      code: "invalid_input",
      message: "“12” is not a phone number: write it with its country code, like +14155550123.",
      field: "phoneNumber",
    };
    vi.mocked(connectAccount).mockRejectedValue(refused);
    render(<ChannelsPage botId="bot-acme" back={undefined} onPickBot={vi.fn()} onBack={vi.fn()} onOpenBot={vi.fn()} />);

    await user.click(await screen.findByRole("button", { name: "Connect a WhatsApp account" }));
    const form = screen.getByRole("form", { name: "Connect a WhatsApp account" });
    await user.type(within(form).getByLabelText("Account name"), "Support line");
    await user.type(within(form).getByLabelText("Phone number"), "12");
    await user.click(within(form).getByRole("button", { name: "Connect account" }));

    expect(connectAccount).toHaveBeenCalledWith("bot-acme", "whatsapp", {
      name: "Support line",
      alias: "",
      phoneNumber: "12",
    });
    const phone = within(form).getByLabelText("Phone number");
    expect(phone).toHaveAccessibleDescription(expect.stringContaining(refused.message));
    expect(phone).toHaveValue("12");
    expect(within(form).getByLabelText("Account name")).toHaveValue("Support line");
    expect(within(form).getByLabelText("Alias")).not.toHaveAttribute("aria-invalid", "true");
  });

  it("asks for the phone number only on WhatsApp and SMS", async () => {
    const user = userEvent.setup();
    render(<ChannelsPage botId="bot-acme" back={{ blockName: "Sign-up" }} onPickBot={vi.fn()} onBack={vi.fn()} onOpenBot={vi.fn()} />);

    expect(await screen.findByRole("button", { name: "Back to Sign-up" })).toBeInTheDocument();
    await user.click(await screen.findByRole("button", { name: "Connect a Telegram account" }));
    const form = screen.getByRole("form", { name: "Connect a Telegram account" });
    expect(within(form).queryByLabelText("Phone number")).not.toBeInTheDocument();
  });
});
