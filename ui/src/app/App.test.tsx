import { act, render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { appInfo, moveAsideAndStartFresh, storeStatus, type AppInfo, type StoreStatus } from "../backend.ts";
import { listBots } from "../backend/builder.ts";
import { onSyncStatus, syncStatus, type SyncStatusView } from "../backend/sync.ts";
import { App } from "./App.tsx";
import { answered, askEarly } from "./firstScreen.ts";

vi.mock("../backend.ts", () => ({ appInfo: vi.fn(), storeStatus: vi.fn(), moveAsideAndStartFresh: vi.fn() }));
vi.mock("../backend/builder.ts", async (importOriginal) => ({
  ...(await importOriginal<typeof import("../backend/builder.ts")>()),
  listBots: vi.fn(() => Promise.resolve([])),
  listTemplates: vi.fn(() => Promise.resolve([])),
  readSettings: vi.fn(() =>
    Promise.resolve({
      apiBase: "https://api.webhook.studio",
      receiverPort: 8787,
      clipboardClearSeconds: 30,
      sync: { target: "local", baseUrl: "", keyMasked: null, suggestedApiBase: null },
    }),
  ),
}));
vi.mock("../backend/sync.ts", () => ({
  syncStatus: vi.fn(() => Promise.resolve({ state: "local", label: "Local only", detail: null, count: 0 })),
  onSyncStatus: vi.fn(() => Promise.resolve(() => undefined)),
  onRemoteChanges: vi.fn(() => Promise.resolve(() => undefined)),
  syncConflicts: vi.fn(() => Promise.resolve([])),
  syncRejections: vi.fn(() => Promise.resolve([])),
}));

const INFO: AppInfo = { version: "0.1.0", dataDir: "/home/ada/.local/share/studio.webhook.desktop" };
const STORE: StoreStatus = {
  state: "open",
  path: `${INFO.dataDir}/studio.db`,
  schemaVersion: 2,
  bots: 0,
  readOnlyReason: null,
};

describe("App", () => {
  beforeEach(() => {
    vi.mocked(appInfo).mockResolvedValue(INFO);
    vi.mocked(storeStatus).mockResolvedValue(STORE);
  });

  it("shows the version and the data folder once the backend answers", async () => {
    render(<App />);

    const ready = await screen.findByTestId("app-ready");
    const status = within(ready).getByRole("contentinfo");
    expect(within(status).getByTestId("status-version")).toHaveTextContent("Version 0.1.0");
    expect(within(status).getByTestId("status-data-dir")).toHaveTextContent(INFO.dataDir);
    expect(appInfo).toHaveBeenCalledTimes(1);
    expect(await within(status).findByTestId("status-store")).toHaveTextContent("studio.db · 0 bots");
  });

  it("is not marked ready while the backend has not answered", () => {
    const neverAnswers = new Promise<AppInfo>(() => undefined);
    vi.mocked(appInfo).mockReturnValue(neverAnswers);
    render(<App />);

    expect(screen.queryByTestId("app-ready")).not.toBeInTheDocument();
    expect(screen.getByTestId("app-loading")).toHaveAttribute("aria-busy", "true");
    expect(screen.getByRole("contentinfo")).toHaveTextContent("Starting…");
  });

  it("says why when the backend fails, and is never marked ready", async () => {
    vi.mocked(appInfo).mockRejectedValue("command app_info not allowed by ACL");
    render(<App />);

    expect(await screen.findByRole("alert")).toHaveTextContent(
      "Could not read the app’s details: command app_info not allowed by ACL",
    );
    expect(screen.queryByTestId("app-ready")).not.toBeInTheDocument();
  });

  it("opens on the Bots dashboard with an honest empty state", async () => {
    render(<App />);
    await screen.findByTestId("app-ready");

    expect(screen.getByRole("heading", { level: 1, name: "Bots" })).toBeInTheDocument();
    expect(await screen.findByRole("heading", { name: "No bots yet" })).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "New bot" })).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Dashboard" })).toHaveAttribute("aria-current", "page");
  });

  it("moves between pages from the sidebar", async () => {
    const user = userEvent.setup();
    render(<App />);
    await screen.findByTestId("app-ready");

    await user.click(screen.getByRole("button", { name: "Settings" }));
    // Pages other than the dashboard are loaded when first opened.
    expect(await screen.findByRole("heading", { level: 1, name: "Settings" })).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Settings" })).toHaveAttribute("aria-current", "page");
    expect(screen.getByRole("button", { name: "Dashboard" })).not.toHaveAttribute("aria-current");
    expect(within(screen.getByRole("main")).getByText(INFO.dataDir)).toBeInTheDocument();

    await user.click(screen.getByRole("button", { name: "Channels" }));
    expect(await screen.findByRole("heading", { level: 1, name: "Channels" })).toBeInTheDocument();
    // Channels belong to a bot; without one the page says where to start.
    expect(await screen.findByRole("heading", { name: "No bots yet" })).toBeInTheDocument();
  });

  it("shows the sync state on every page, and a conflict opens the conflicts", async () => {
    const user = userEvent.setup();
    let push: ((status: SyncStatusView) => void) | undefined;
    vi.mocked(onSyncStatus).mockImplementation((handler) => {
      push = handler;
      return Promise.resolve(() => undefined);
    });
    vi.mocked(syncStatus).mockResolvedValue({ state: "synced", label: "Synced", detail: null, count: 0 });
    render(<App />);

    expect(await screen.findByTestId("sync-pill")).toHaveTextContent("Synced");
    await user.click(screen.getByRole("button", { name: /Settings/ }));
    expect(screen.getByTestId("sync-pill")).toHaveTextContent("Synced");

    act(() => {
      push?.({ state: "conflict", label: "1 conflict", detail: "Changed here and on the server.", count: 1 });
    });
    await user.click(screen.getByRole("button", { name: "1 conflict" }));
    expect(await screen.findByRole("heading", { name: "Sync conflicts" })).toBeInTheDocument();
  });

  it("shows the first screen whole in its first render when main.tsx asked for it early", async () => {
    vi.mocked(appInfo).mockClear();
    vi.mocked(storeStatus).mockClear();
    vi.mocked(listBots).mockClear();
    askEarly();
    await answered(1000);
    render(<App />);

    // No loading step: the version, the store and the dashboard are there at once, and nothing
    // the early answers covered is asked for again.
    expect(screen.getByTestId("app-ready")).toBeInTheDocument();
    expect(screen.getByTestId("status-store")).toHaveTextContent("studio.db · 0 bots");
    expect(screen.getByRole("heading", { name: "No bots yet" })).toBeInTheDocument();
    expect(appInfo).toHaveBeenCalledTimes(1);
    expect(storeStatus).toHaveBeenCalledTimes(1);
    expect(listBots).toHaveBeenCalledTimes(1);
  });

  it("shows the fresh store's dashboard after a damaged file is moved aside, not what the old file answered at start", async () => {
    const damaged: StoreStatus = {
      state: "unavailable",
      code: "not_a_database",
      message: "studio.db is not a Webhook Studio database.",
      path: STORE.path,
      mayMoveAside: true,
    };
    vi.mocked(storeStatus).mockResolvedValue(damaged);
    vi.mocked(listBots).mockRejectedValueOnce({ kind: "store", message: "The store is unavailable." });
    vi.mocked(moveAsideAndStartFresh).mockResolvedValue({ keptAt: `${STORE.path}.broken-1`, status: STORE });
    askEarly();
    await answered(1000);
    const user = userEvent.setup();
    render(<App />);

    await user.click(await screen.findByRole("button", { name: "Move it aside and start fresh" }));

    expect(await screen.findByRole("heading", { name: "No bots yet" })).toBeInTheDocument();
    expect(screen.queryByText(/Could not read the bots/)).not.toBeInTheDocument();
  });
});
