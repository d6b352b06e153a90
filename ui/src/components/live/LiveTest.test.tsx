import { act, fireEvent, render, screen, within } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";

import * as backend from "../../backend/panel.ts";
import { LiveTest } from "./LiveTest.tsx";

vi.mock("../../backend/panel.ts", () => ({
  startListening: vi.fn(),
  stopListening: vi.fn(),
  listeningStatus: vi.fn(),
  capturedRequests: vi.fn(),
  replayRequest: vi.fn(),
  keepAsSample: vi.fn(),
  onCapturedRequest: vi.fn(),
}));

const api = vi.mocked(backend);

function captured(id: number, status: number): backend.CapturedView {
  return {
    id,
    receivedAt: "2026-11-25T10:00:00Z",
    received: "10:00:00 AM",
    status,
    code: status === 202 ? null : "wrong_token",
    message: status === 202 ? null : "The Authorization token is wrong.",
    headers: [{ name: "authorization", value: "Bearer whs_••••k5E" }],
    body: { data: { name: "Ada" } },
    variables: {},
    mappings: [
      {
        row: 0,
        data: "data.name",
        setVariable: "customer_name",
        optional: false,
        outcome: { kind: "extracted", value: "Ada" },
      },
    ],
  };
}

describe("LiveTest", () => {
  beforeEach(() => {
    // jsdom lays nothing out and has no scrollIntoView; WebKit has.
    Element.prototype.scrollIntoView = vi.fn();
  });

  it("listens, then lists this block's requests newest first", async () => {
    let push: (event: backend.CapturedRequestEvent) => void = () => undefined;
    api.listeningStatus.mockResolvedValue({ state: "stopped" });
    api.capturedRequests.mockResolvedValue([captured(1, 401)]);
    api.onCapturedRequest.mockImplementation((handler) => {
      push = handler;
      return Promise.resolve(() => undefined);
    });
    api.startListening.mockResolvedValue({
      state: "listening",
      botId: "bot-1",
      port: 8787,
      baseUrl: "http://127.0.0.1:8787",
      liveBlocks: 1,
      draftBlocks: 0,
    });
    render(
      <LiveTest botId="bot-1" blockId="wh-1" developmentUrl="http://127.0.0.1:8787/dev/webhooks/wh-1" onSampleUsed={vi.fn()} />,
    );
    const list = await screen.findByRole("list", { name: "Captured requests" });
    fireEvent.click(screen.getByRole("button", { name: "Listen for test request" }));
    expect(await screen.findByText("Waiting for a request…")).toBeInTheDocument();
    expect(api.startListening).toHaveBeenCalledWith("bot-1");

    act(() => {
      push({ botId: "bot-1", blockId: "other", request: captured(5, 202) });
      push({ botId: "bot-1", blockId: "wh-1", request: captured(2, 202) });
    });
    const items = within(list).getAllByRole("listitem");
    expect(items).toHaveLength(2);
    expect(items[0]).toHaveTextContent("202");
    expect(items[1]).toHaveTextContent("401");

    const first = items[0];
    if (first === undefined) throw new Error("no item");
    // Rust's words for when it arrived, with the moment itself for assistive technology.
    expect(within(first).getByText("10:00:00 AM")).toHaveAttribute("datetime", "2026-11-25T10:00:00Z");
    fireEvent.click(within(first).getByRole("button", { expanded: false }));
    expect(within(first).getByText("Bearer whs_••••k5E")).toBeInTheDocument();
    expect(within(first).getByText('"Ada"')).toBeInTheDocument();
  });

  it("brings a request that arrives into view, unless the designer is typing in a field", async () => {
    let push: (event: backend.CapturedRequestEvent) => void = () => undefined;
    api.listeningStatus.mockResolvedValue({ state: "stopped" });
    api.capturedRequests.mockResolvedValue([]);
    api.onCapturedRequest.mockImplementation((handler) => {
      push = handler;
      return Promise.resolve(() => undefined);
    });
    const shown: string[] = [];
    const scrollIntoView = vi.fn(function (this: Element) {
      shown.push(this.getAttribute("data-request") ?? "");
    });
    Element.prototype.scrollIntoView = scrollIntoView;
    render(
      <>
        <input aria-label="Data" />
        <LiveTest botId="bot-1" blockId="wh-1" developmentUrl="http://127.0.0.1:8787/dev/webhooks/wh-1" onSampleUsed={vi.fn()} />
      </>,
    );
    await vi.waitFor(() => {
      expect(api.onCapturedRequest).toHaveBeenCalled();
    });

    act(() => {
      push({ botId: "bot-1", blockId: "wh-1", request: captured(7, 404) });
    });
    expect(shown).toEqual(["7"]);
    expect(scrollIntoView).toHaveBeenLastCalledWith({ block: "nearest" });

    screen.getByRole("textbox", { name: "Data" }).focus();
    act(() => {
      push({ botId: "bot-1", blockId: "wh-1", request: captured(8, 202) });
    });
    expect(shown).toEqual(["7"]);
    expect(screen.getAllByRole("listitem")).toHaveLength(2);
  });
});
