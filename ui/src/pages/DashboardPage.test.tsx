import { act, render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import {
  createBot,
  deleteBot,
  exportBot,
  importBot,
  listBots,
  listTemplates,
  type BotCard,
  type EditorError,
} from "../backend/builder.ts";
import { onRemoteChanges } from "../backend/sync.ts";
import { ReadOnlyContext } from "../app/readOnly.ts";
import { DashboardPage } from "./DashboardPage.tsx";

vi.mock("../backend/builder.ts", async (importOriginal) => ({
  ...(await importOriginal<typeof import("../backend/builder.ts")>()),
  listBots: vi.fn(),
  listTemplates: vi.fn(),
  createBot: vi.fn(),
  createBotFromTemplate: vi.fn(),
  renameBot: vi.fn(),
  duplicateBot: vi.fn(),
  deleteBot: vi.fn(),
  exportBot: vi.fn(),
  importBot: vi.fn(),
}));

vi.mock("../backend/sync.ts", () => ({ onRemoteChanges: vi.fn(() => Promise.resolve(() => undefined)) }));

const ACME: BotCard = {
  id: "bot-acme",
  name: "Acme sign-ups",
  updatedAt: "2026-11-25T10:00:00Z",
  changed: "Nov 25, 2026, 10:00 AM",
  channels: [{ channel: "whatsapp", label: "WhatsApp", connected: true }],
  connected: true,
  webhookBlocks: 2,
  submittedBlocks: 1,
};

describe("the dashboard", () => {
  beforeEach(() => {
    vi.mocked(listTemplates).mockResolvedValue([
      { id: "welcome_on_sign_up", name: "Welcome on sign-up", description: "Greet.", channel: "WhatsApp" },
    ]);
  });

  it("shows an empty state and the templates without bots", async () => {
    vi.mocked(listBots).mockResolvedValue([]);
    render(<DashboardPage onOpenBot={vi.fn()} />);
    expect(await screen.findByRole("heading", { name: "No bots yet" })).toBeInTheDocument();
    expect(await screen.findByRole("button", { name: "Use template Welcome on sign-up" })).toBeEnabled();
  });

  it("on a read-only file, lets the bots be opened and exported, and offers nothing that changes them", async () => {
    vi.mocked(listBots).mockResolvedValue([ACME]);
    const onOpenBot = vi.fn();
    render(
      <ReadOnlyContext.Provider value="studio.db was written by a newer Webhook Studio.">
        <DashboardPage onOpenBot={onOpenBot} />
      </ReadOnlyContext.Provider>,
    );
    const card = await screen.findByTestId("bot-card-bot-acme");
    for (const name of ["New bot", "Import bot…", "Use template Welcome on sign-up"]) {
      expect(await screen.findByRole("button", { name })).toBeDisabled();
    }
    for (const name of ["Rename Acme sign-ups", "Duplicate Acme sign-ups", "Delete Acme sign-ups"]) {
      expect(within(card).getByRole("button", { name })).toBeDisabled();
    }
    expect(within(card).getByRole("button", { name: "Export Acme sign-ups" })).toBeEnabled();
    await userEvent.click(within(card).getByRole("button", { name: "Open Acme sign-ups" }));
    expect(onOpenBot).toHaveBeenCalledWith("bot-acme");
    await userEvent.click(screen.getByRole("button", { name: "New bot" }));
    expect(screen.queryByRole("dialog")).toBeNull();
    expect(createBot).not.toHaveBeenCalled();
  });

  it("shows each bot's channels, counts and when it changed", async () => {
    vi.mocked(listBots).mockResolvedValue([ACME]);
    render(<DashboardPage onOpenBot={vi.fn()} />);
    const card = await screen.findByTestId("bot-card-bot-acme");
    expect(card).toHaveTextContent("WhatsApp connected");
    expect(card).toHaveTextContent("2 webhook blocks · 1 submitted");
    // Rust's words for the time, with the moment itself for assistive technology.
    const changed = within(card).getByText("Nov 25, 2026, 10:00 AM");
    expect(changed).toHaveAttribute("datetime", "2026-11-25T10:00:00Z");
  });

  it("creates a bot from the dialog and opens it; Rust's error shows by the name", async () => {
    const user = userEvent.setup();
    const onOpenBot = vi.fn();
    vi.mocked(listBots).mockResolvedValue([]);
    const refused: EditorError = { code: "invalid_input", message: "Give the bot a name, like “Order alerts”.", field: "name" };
    vi.mocked(createBot).mockRejectedValueOnce(refused).mockResolvedValueOnce("bot-new");
    render(<DashboardPage onOpenBot={onOpenBot} />);

    await user.click(await screen.findByRole("button", { name: "New bot" }));
    const dialog = screen.getByRole("dialog", { name: "New bot" });
    const name = within(dialog).getByLabelText("Bot name");
    await user.type(name, "   ");
    await user.click(within(dialog).getByRole("button", { name: "Create bot" }));
    expect(await within(dialog).findByText(refused.message)).toBeInTheDocument();
    expect(name).toHaveValue("   ");
    expect(name).toHaveAttribute("aria-invalid", "true");

    await user.clear(name);
    await user.type(name, "Order alerts");
    await user.click(within(dialog).getByRole("button", { name: "Create bot" }));
    expect(createBot).toHaveBeenLastCalledWith("Order alerts");
    expect(onOpenBot).toHaveBeenCalledWith("bot-new");
  });

  it("asks before deleting, naming the bot and what is lost", async () => {
    const user = userEvent.setup();
    vi.mocked(listBots).mockResolvedValueOnce([ACME]).mockResolvedValueOnce([]);
    vi.mocked(deleteBot).mockResolvedValue(null);
    render(<DashboardPage onOpenBot={vi.fn()} />);

    await user.click(await screen.findByRole("button", { name: "Delete Acme sign-ups" }));
    const confirm = screen.getByRole("alertdialog", { name: "Delete Acme sign-ups?" });
    expect(confirm).toHaveTextContent("2 webhook blocks, whose URLs stop answering at once");
    expect(confirm).toHaveTextContent("This cannot be undone.");

    await user.click(within(confirm).getByRole("button", { name: "Cancel" }));
    expect(deleteBot).not.toHaveBeenCalled();

    await user.click(screen.getByRole("button", { name: "Delete Acme sign-ups" }));
    await user.click(screen.getByRole("button", { name: "Delete bot" }));
    expect(deleteBot).toHaveBeenCalledWith("bot-acme");
    expect(await screen.findByRole("heading", { name: "No bots yet" })).toBeInTheDocument();
  });

  it("asks before an import replaces a bot, then opens it", async () => {
    const user = userEvent.setup();
    const onOpenBot = vi.fn();
    vi.mocked(listBots).mockResolvedValue([ACME]);
    vi.mocked(importBot)
      .mockResolvedValueOnce({
        path: "/tmp/acme.bot.json",
        outcome: { outcome: "alreadyExists", botId: "bot-acme", existingName: "Acme sign-ups" },
      })
      .mockResolvedValueOnce({
        path: "/tmp/acme.bot.json",
        outcome: { outcome: "imported", botId: "bot-acme", message: "Imported “Acme sign-ups”." },
      });
    render(<DashboardPage onOpenBot={onOpenBot} />);
    await user.click(await screen.findByRole("button", { name: "Import bot…" }));
    const ask = await screen.findByRole("alertdialog", { name: "Replace Acme sign-ups?" });
    expect(onOpenBot).not.toHaveBeenCalled();
    await user.click(within(ask).getByRole("button", { name: "Replace bot" }));
    expect(vi.mocked(importBot)).toHaveBeenLastCalledWith("/tmp/acme.bot.json", true);
    await vi.waitFor(() => {
      expect(onOpenBot).toHaveBeenCalledWith("bot-acme");
    });
  });

  it("lists every problem of a refused document and imports nothing", async () => {
    const user = userEvent.setup();
    const onOpenBot = vi.fn();
    vi.mocked(listBots).mockResolvedValue([]);
    vi.mocked(importBot).mockResolvedValueOnce({
      path: "/tmp/broken.bot.json",
      outcome: {
        outcome: "refused",
        message: "The document has 2 problem(s); nothing was imported.",
        problems: ["/bot/flows/0/id: duplicate id", "/bot/variables/1/name: taken"],
      },
    });
    render(<DashboardPage onOpenBot={onOpenBot} />);
    await user.click(await screen.findByRole("button", { name: "Import bot…" }));
    const dialog = await screen.findByRole("dialog", { name: "Nothing was imported" });
    expect(dialog).toHaveTextContent("/bot/flows/0/id: duplicate id");
    expect(dialog).toHaveTextContent("/bot/variables/1/name: taken");
    expect(onOpenBot).not.toHaveBeenCalled();
  });

  it("exports without tokens unless asked", async () => {
    const user = userEvent.setup();
    vi.mocked(listBots).mockResolvedValue([ACME]);
    vi.mocked(exportBot).mockResolvedValue({ path: "/tmp/acme.bot.json", message: "Exported." });
    render(<DashboardPage onOpenBot={vi.fn()} />);
    await user.click(await screen.findByRole("button", { name: "Export Acme sign-ups" }));
    const dialog = await screen.findByRole("dialog", { name: "Export Acme sign-ups" });
    expect(within(dialog).getByRole("checkbox", { name: "Include the tokens" })).not.toBeChecked();
    await user.click(within(dialog).getByRole("button", { name: "Export…" }));
    expect(vi.mocked(exportBot)).toHaveBeenCalledWith("bot-acme", false);
  });

  it("lists the bots again when sync brings a teammate's change", async () => {
    let pulled: ((bots: string[]) => void) | undefined;
    vi.mocked(onRemoteChanges).mockImplementation((handler) => {
      pulled = handler;
      return Promise.resolve(() => undefined);
    });
    vi.mocked(listBots).mockResolvedValueOnce([ACME]).mockResolvedValueOnce([{ ...ACME, name: "Acme (renamed)" }]);
    render(<DashboardPage onOpenBot={vi.fn()} />);
    expect(await screen.findByText("Acme sign-ups")).toBeInTheDocument();

    act(() => {
      pulled?.([ACME.id]);
    });
    expect(await screen.findByText("Acme (renamed)")).toBeInTheDocument();
  });
});
