import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { addBlock, openBot, removeBlock, type BlockCard, type BotView } from "../backend/builder.ts";
import { BuilderPage } from "./BuilderPage.tsx";

vi.mock("../backend/builder.ts", async (importOriginal) => ({
  ...(await importOriginal<typeof import("../backend/builder.ts")>()),
  openBot: vi.fn(),
  addBlock: vi.fn(),
  removeBlock: vi.fn(),
  moveBlock: vi.fn(),
  addSequence: vi.fn(),
}));
// The canvas needs a real layout engine; here it "cannot start", so the outline shows the cards.
vi.mock("../components/canvas/FlowCanvas.tsx", () => {
  throw new Error("no layout in jsdom");
});
vi.mock("../components/builder/PanelHost.tsx", () => ({
  PanelHost: ({ block }: { block: BlockCard }) => <aside aria-label="Block panel">Panel of {block.name}</aside>,
}));

const HOOK: BlockCard = { id: "wh-1", name: "Sign-up form", kind: "webhook", status: "draft", problems: 2, summary: "No channel · 0 variables" };
function botWith(blocks: BlockCard[]): BotView {
  return {
    id: "bot-1",
    name: "Acme sign-ups",
    connected: false,
    flows: [{ id: "flow-1", name: "Main flow", sequences: [{ id: "seq-1", name: "Start", blocks }] }],
  };
}
const BOT = botWith([HOOK]);

function renderBuilder() {
  const onOpenChannels = vi.fn();
  render(<BuilderPage botId="bot-1" initialBlock={undefined} onBack={vi.fn()} onOpenChannels={onOpenChannels} />);
  return { onOpenChannels };
}

describe("the builder", () => {
  beforeEach(() => {
    // React reports the canvas that could not load; the outline below is what is tested.
    vi.spyOn(console, "error").mockImplementation(() => undefined);
    vi.mocked(openBot).mockResolvedValue(BOT);
  });

  it("shows the bot, the no-channel warning and each block's state", async () => {
    const user = userEvent.setup();
    const { onOpenChannels } = renderBuilder();

    expect(await screen.findByRole("heading", { level: 1, name: "Acme sign-ups" })).toBeInTheDocument();
    const block = await screen.findByTestId("block-wh-1");
    expect(block).toHaveAccessibleName("Webhook block Sign-up form");
    expect(block).toHaveTextContent("Draft");
    expect(block).toHaveTextContent("2 to fix");

    await user.click(screen.getByRole("button", { name: "No channel connected" }));
    expect(onOpenChannels).toHaveBeenCalled();
  });

  it("adds a webhook block to the sequence and opens its panel", async () => {
    const user = userEvent.setup();
    const added: BlockCard = { ...HOOK, id: "wh-2", name: "Webhook" };
    vi.mocked(addBlock).mockResolvedValue({
      id: "wh-2",
      bot: botWith([HOOK, added]),
    });
    renderBuilder();

    const palette = await screen.findByRole("toolbar", { name: "Add to the flow" });
    await user.click(within(palette).getByRole("button", { name: "Add webhook block" }));
    expect(addBlock).toHaveBeenCalledWith("bot-1", "seq-1", "webhook");
    expect(await screen.findByRole("complementary", { name: "Block panel" })).toHaveTextContent("Panel of Webhook");
  });

  it("asks before removing the selected block with Delete", async () => {
    const user = userEvent.setup();
    vi.mocked(removeBlock).mockResolvedValue(botWith([]));
    renderBuilder();

    await user.click(await screen.findByTestId("block-wh-1"));
    await user.keyboard("{Delete}");
    const confirm = screen.getByRole("alertdialog", { name: "Remove Sign-up form?" });
    expect(confirm).toHaveTextContent("its URL stops answering");
    await user.click(within(confirm).getByRole("button", { name: "Remove block" }));
    expect(removeBlock).toHaveBeenCalledWith("bot-1", "wh-1");
    expect(screen.queryByTestId("block-wh-1")).not.toBeInTheDocument();
  });
});
