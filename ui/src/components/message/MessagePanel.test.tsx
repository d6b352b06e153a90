import { act, fireEvent, render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";

import { ReadOnlyContext } from "../../app/readOnly.ts";
import * as backend from "../../backend/panel.ts";
import { MessagePanel } from "./MessagePanel.tsx";

vi.mock("../../backend/panel.ts", () => ({
  messagePanel: vi.fn(),
  editMessage: vi.fn(),
  renameBlock: vi.fn(),
}));

const api = vi.mocked(backend);

const view: backend.MessagePanel = {
  botId: "bot-1",
  blockId: "msg-1",
  name: "Greeting",
  text: "Hello",
  variables: [{ name: "customer_name", placeholder: "{customer_name}" }],
  problems: [],
};

afterEach(() => {
  vi.useRealTimers();
});

describe("MessagePanel", () => {
  it("autosaves the text after a pause and inserts variables", async () => {
    api.messagePanel.mockResolvedValue(view);
    api.editMessage.mockImplementation((_b, _k, text) => Promise.resolve({ ...view, text }));
    const onChanged = vi.fn();
    render(<MessagePanel botId="bot-1" blockId="msg-1" onChanged={onChanged} />);
    const text = await screen.findByRole("textbox", { name: "Message text" });
    expect(text).toHaveValue("Hello");

    vi.useFakeTimers();
    fireEvent.change(text, { target: { value: "Hello " } });
    fireEvent.click(screen.getByRole("button", { name: "{customer_name}" }));
    expect(text).toHaveValue("Hello {customer_name}");
    await act(() => vi.advanceTimersByTimeAsync(300));
    expect(api.editMessage).toHaveBeenCalledTimes(1);
    expect(api.editMessage).toHaveBeenCalledWith("bot-1", "msg-1", "Hello {customer_name}");
    expect(onChanged).toHaveBeenCalled();
  });

  it("on a read-only file, shows the text and changes nothing", async () => {
    api.messagePanel.mockResolvedValue(view);
    api.editMessage.mockClear();
    render(
      <ReadOnlyContext.Provider value="studio.db was written by a newer Webhook Studio.">
        <MessagePanel botId="bot-1" blockId="msg-1" onChanged={vi.fn()} />
      </ReadOnlyContext.Provider>,
    );
    const text = await screen.findByRole("textbox", { name: "Message text" });
    expect(text).toHaveAttribute("readonly");
    expect(screen.getByRole("textbox", { name: "Block name" })).toHaveAttribute("readonly");
    expect(screen.queryByRole("button", { name: "{customer_name}" })).toBeNull();
    await userEvent.type(text, " there");
    fireEvent.blur(text);
    await act(() => new Promise((resolve) => setTimeout(resolve, 400)));
    expect(text).toHaveValue("Hello");
    expect(api.editMessage).not.toHaveBeenCalled();
  });

  it("shows the text's problems under it", async () => {
    api.messagePanel.mockResolvedValue({
      ...view,
      problems: [
        {
          field: { kind: "text" },
          code: "unknown_variable",
          message: "This bot has no variable {nme}.",
          suggestion: null,
          incomplete: false,
        },
      ],
    });
    render(<MessagePanel botId="bot-1" blockId="msg-1" onChanged={vi.fn()} />);
    const text = await screen.findByRole("textbox", { name: "Message text" });
    expect(text).toHaveAccessibleDescription("This bot has no variable {nme}.");
  });
});
