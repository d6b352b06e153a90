import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import {
  appInfo,
  moveAsideAndStartFresh,
  storeStatus,
  type StoreProblem,
  type StoreStatus,
} from "../../backend.ts";
import { App } from "../../app/App.tsx";

vi.mock("../../backend.ts", () => ({ appInfo: vi.fn(), storeStatus: vi.fn(), moveAsideAndStartFresh: vi.fn() }));

const DIR = "/home/ada/.local/share/studio.webhook.desktop";
const PATH = `${DIR}/studio.db`;
const NOT_A_DATABASE_MESSAGE = `${PATH} is not a Webhook Studio database (it is not an SQLite file). It was left untouched: move it aside or choose another file, and a fresh database will be created.`;
const NOT_A_DATABASE: StoreStatus = {
  state: "unavailable",
  code: "not_a_database",
  path: PATH,
  message: NOT_A_DATABASE_MESSAGE,
  mayMoveAside: true,
};
const FRESH: StoreStatus = { state: "open", path: PATH, schemaVersion: 2, bots: 0, readOnlyReason: null };
const MOVE = { name: "Move it aside and start fresh" } as const;

function unavailable(code: StoreProblem["code"], message: string, mayMoveAside = false): StoreStatus {
  return { state: "unavailable", code, path: PATH, message, mayMoveAside };
}

describe("the store notice", () => {
  beforeEach(() => {
    vi.mocked(appInfo).mockResolvedValue({ version: "0.1.0", dataDir: DIR });
    vi.mocked(moveAsideAndStartFresh).mockReset();
  });

  it("replaces the pages with the store's own message, the file and the way out", async () => {
    vi.mocked(storeStatus).mockResolvedValue(NOT_A_DATABASE);
    render(<App />);

    const notice = await screen.findByRole("alert");
    expect(within(notice).getByRole("heading", { level: 1 })).toHaveTextContent(
      "Your bots file is not a Webhook Studio database",
    );
    expect(within(notice).getByTestId("store-notice-message")).toHaveTextContent(
      NOT_A_DATABASE_MESSAGE,
    );
    expect(within(notice).getByTestId("store-notice-path")).toHaveTextContent(PATH);
    expect(within(notice).getByRole("button", MOVE)).toBeEnabled();
    expect(screen.queryByRole("heading", { name: "Bots" })).not.toBeInTheDocument();
    expect(await screen.findByTestId("status-store")).toHaveTextContent("studio.db · not opened");
    expect(screen.getByRole("contentinfo")).toHaveTextContent("Needs attention");
    expect(screen.getByRole("contentinfo")).not.toHaveTextContent("Ready");
  });

  it("moves the file aside on request, then shows where the old file was kept", async () => {
    const user = userEvent.setup();
    vi.mocked(storeStatus).mockResolvedValue(unavailable("damaged", `${PATH} is damaged (cut short).`, true));
    vi.mocked(moveAsideAndStartFresh).mockResolvedValue({
      keptAt: `${PATH}.broken-1764000000`,
      status: FRESH,
    });
    render(<App />);

    await user.click(await screen.findByRole("button", MOVE));

    expect(moveAsideAndStartFresh).toHaveBeenCalledTimes(1);
    expect(await screen.findByTestId("store-kept-at")).toHaveTextContent(
      `The old file was kept at ${PATH}.broken-1764000000`,
    );
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();
    expect(screen.getByRole("heading", { level: 1, name: "Bots" })).toBeInTheDocument();
    expect(screen.getByTestId("status-store")).toHaveTextContent("studio.db · 0 bots");
  });

  it("keeps the notice and says so when the file could not be moved", async () => {
    const user = userEvent.setup();
    vi.mocked(storeStatus).mockResolvedValue(NOT_A_DATABASE);
    vi.mocked(moveAsideAndStartFresh).mockRejectedValue({
      code: "move_aside_failed",
      message: `${PATH} could not be moved aside. Nothing was deleted.`,
      path: PATH,
      mayMoveAside: false,
    });
    render(<App />);

    await user.click(await screen.findByRole("button", MOVE));

    expect(await screen.findByTestId("store-notice-failure")).toHaveTextContent(
      `${PATH} could not be moved aside. Nothing was deleted.`,
    );
    expect(screen.getByRole("alert")).toBeInTheDocument();
    expect(screen.getByRole("button", MOVE)).toBeEnabled();
  });

  it("offers no destructive action for a file from a newer version", async () => {
    vi.mocked(storeStatus).mockResolvedValue(
      unavailable("newer_version", `${PATH} was written by a newer Webhook Studio. It is open read-only.`),
    );
    render(<App />);

    const notice = await screen.findByRole("alert");
    expect(notice).toHaveTextContent("Your bots file is from a newer Webhook Studio");
    expect(notice).toHaveTextContent("only reads it and never changes it");
    expect(within(notice).queryByRole("button")).not.toBeInTheDocument();
  });

  it("shows why an open store is read-only above the page, without a notice", async () => {
    const reason = `${PATH} was written by a newer Webhook Studio (schema version 9; this build knows up to 2). It is open read-only and was not changed: update Webhook Studio to edit it.`;
    vi.mocked(storeStatus).mockResolvedValue({ ...FRESH, bots: 1, readOnlyReason: reason });
    render(<App />);

    expect(await screen.findByTestId("store-read-only")).toHaveTextContent(reason);
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();
    expect(screen.queryByRole("button", MOVE)).not.toBeInTheDocument();
    expect(screen.getByTestId("status-store")).toHaveTextContent("studio.db · 1 bot · read-only");
  });
});
