import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { addBlock, moveBlock, openBot, removeBlock, type BlockCard, type BotView } from "../backend/builder.ts";
import { ReadOnlyContext } from "../app/readOnly.ts";
import { ToastProvider } from "../components/toast/ToastProvider.tsx";
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
  render(
    <ToastProvider>
      <BuilderPage botId="bot-1" initialBlock={undefined} onBack={vi.fn()} onOpenChannels={onOpenChannels} />
    </ToastProvider>,
  );
  return { onOpenChannels };
}

const NOTE: BlockCard = { id: "msg-1", name: "Welcome", kind: "message", status: null, problems: 0, summary: "Hello" };
/** Two sequences: Start holds the given blocks, Later holds the note. */
function twoSequences(start: BlockCard[], later: BlockCard[]): BotView {
  return {
    ...BOT,
    flows: [
      {
        id: "flow-1",
        name: "Main flow",
        sequences: [
          { id: "seq-1", name: "Start", blocks: start },
          { id: "seq-2", name: "Later", blocks: later },
        ],
      },
    ],
  };
}

describe("the builder", () => {
  beforeEach(() => {
    // Call counts start afresh in each test (the mocked module lives as long as the file).
    vi.clearAllMocks();
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

  it("on a read-only file, shows the flow and opens a block's panel, with nothing that changes them", async () => {
    const user = userEvent.setup();
    vi.mocked(openBot).mockResolvedValue(twoSequences([HOOK], [NOTE]));
    render(
      <ReadOnlyContext.Provider value="studio.db was written by a newer Webhook Studio.">
        <ToastProvider>
          <BuilderPage botId="bot-1" initialBlock={undefined} onBack={vi.fn()} onOpenChannels={vi.fn()} />
        </ToastProvider>
      </ReadOnlyContext.Provider>,
    );

    const block = await screen.findByTestId("block-wh-1");
    const palette = screen.getByRole("toolbar", { name: "Add to the flow" });
    for (const button of within(palette).getAllByRole("button")) expect(button).toBeDisabled();
    expect(within(block).queryByRole("button", { name: /^Move / })).toBeNull();

    await user.click(block);
    const panel = await screen.findByRole("complementary", { name: "Block panel" });
    expect(panel).toHaveTextContent("Panel of Sign-up form");
    await user.keyboard("{Delete}");
    expect(screen.queryByRole("alertdialog")).toBeNull();
    expect(removeBlock).not.toHaveBeenCalled();
  });

  it("moves a block to another sequence with the keyboard, at once, and keeps it selected", async () => {
    const user = userEvent.setup();
    vi.mocked(openBot).mockResolvedValue(twoSequences([HOOK], [NOTE]));
    let answer: (view: BotView) => void = () => undefined;
    vi.mocked(moveBlock).mockReturnValue(
      new Promise((resolve) => {
        answer = resolve;
      }),
    );
    renderBuilder();

    await user.click(await screen.findByTestId("block-wh-1"));
    expect(screen.getByRole("complementary", { name: "Block panel" })).toHaveTextContent("Panel of Sign-up form");
    screen.getByRole("button", { name: "Move Sign-up form to another sequence" }).focus();
    await user.keyboard("{Enter}");
    const menu = screen.getByRole("menu", { name: "Move Sign-up form to" });
    expect(within(menu).getByRole("menuitem", { name: "Later" })).toHaveFocus();
    expect(within(menu).queryByRole("menuitem", { name: "Start" })).not.toBeInTheDocument();
    await user.keyboard("{Enter}");

    // To the end of Later; drawn there before Rust answers, and still the selected block.
    expect(moveBlock).toHaveBeenCalledWith("bot-1", "wh-1", "seq-2", 1);
    expect(screen.queryByRole("menu")).not.toBeInTheDocument();
    const later = screen.getByTestId("sequence-seq-2");
    expect(within(later).getAllByRole("group").map((g) => g.getAttribute("aria-label"))).toEqual([
      "Message block Welcome",
      "Webhook block Sign-up form",
    ]);
    expect(screen.getByRole("complementary", { name: "Block panel" })).toHaveTextContent("Panel of Sign-up form");
    expect(screen.getByTestId("palette-target")).toHaveTextContent("Later");

    answer(twoSequences([], [NOTE, HOOK]));
    expect(await screen.findByText("Moved Sign-up form to Later")).toBeInTheDocument();
    expect(within(screen.getByTestId("sequence-seq-1")).queryByRole("group")).not.toBeInTheDocument();
  });

  it("closes the Move to menu with Escape, moving nothing, and gives the focus back", async () => {
    const user = userEvent.setup();
    vi.mocked(openBot).mockResolvedValue(twoSequences([HOOK], [NOTE]));
    renderBuilder();

    const button = await screen.findByRole("button", { name: "Move Sign-up form to another sequence" });
    await user.click(button);
    expect(screen.getByRole("menu")).toBeInTheDocument();
    await user.keyboard("{Escape}");
    expect(screen.queryByRole("menu")).not.toBeInTheDocument();
    expect(button).toHaveFocus();
    expect(moveBlock).not.toHaveBeenCalled();
  });

  it("offers no Move to when the bot has one sequence", async () => {
    renderBuilder();
    expect(await screen.findByRole("button", { name: "Move Sign-up form to another sequence" })).toBeDisabled();
  });

  it("says why a move was refused and shows the bot as it is stored", async () => {
    const user = userEvent.setup();
    vi.mocked(openBot).mockResolvedValue(twoSequences([HOOK], [NOTE]));
    vi.mocked(moveBlock).mockRejectedValue({ code: "not_found", message: "This bot has no sequence seq-2; it may have been removed.", field: null });
    renderBuilder();

    await user.click(await screen.findByRole("button", { name: "Move Sign-up form to another sequence" }));
    await user.click(screen.getByRole("menuitem", { name: "Later" }));

    expect(await screen.findByText("This bot has no sequence seq-2; it may have been removed.")).toBeInTheDocument();
    // Read again from Rust: the block is back in Start.
    expect(openBot).toHaveBeenCalledTimes(2);
    expect(await within(screen.getByTestId("sequence-seq-1")).findByTestId("block-wh-1")).toBeInTheDocument();
    expect(screen.queryByText(/^Moved /)).not.toBeInTheDocument();
  });

  it("still moves a block down with its button, keeping the other block selected", async () => {
    const user = userEvent.setup();
    vi.mocked(openBot).mockResolvedValue(twoSequences([HOOK, { ...NOTE, id: "msg-2", name: "Thanks" }], [NOTE]));
    vi.mocked(moveBlock).mockReturnValue(new Promise(() => undefined));
    renderBuilder();

    await user.click(await screen.findByTestId("block-msg-2"));
    await user.click(screen.getByRole("button", { name: "Move Sign-up form down" }));
    expect(moveBlock).toHaveBeenCalledWith("bot-1", "wh-1", "seq-1", 1);
    const start = screen.getByTestId("sequence-seq-1");
    expect(within(start).getAllByRole("group").map((g) => g.getAttribute("aria-label"))).toEqual([
      "Message block Thanks",
      "Webhook block Sign-up form",
    ]);
    expect(screen.getByRole("complementary", { name: "Block panel" })).toHaveTextContent("Panel of Thanks");
  });
});
