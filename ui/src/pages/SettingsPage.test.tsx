import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { changeSetting, readSettings, type EditorError, type SettingsView } from "../backend/builder.ts";
import {
  dismissSyncRejection,
  saveSync,
  syncRejections,
  testConnection,
  type ConnectionView,
  type RejectionView,
} from "../backend/sync.ts";
import { ReadOnlyContext } from "../app/readOnly.ts";
import { SettingsPage } from "./SettingsPage.tsx";

vi.mock("../backend/builder.ts", async (importOriginal) => ({
  ...(await importOriginal<typeof import("../backend/builder.ts")>()),
  readSettings: vi.fn(),
  changeSetting: vi.fn(),
}));
vi.mock("../backend/sync.ts", () => ({
  saveSync: vi.fn(),
  testConnection: vi.fn(),
  syncRejections: vi.fn(),
  dismissSyncRejection: vi.fn(),
}));

const VIEW: SettingsView = {
  apiBase: "https://api.webhook.studio",
  receiverPort: 8787,
  clipboardClearSeconds: 30,
  sync: { target: "local", baseUrl: "", keyMasked: null, suggestedApiBase: null },
};
const READY = { status: "ready", info: { version: "0.1.0", dataDir: "/data" } } as const;

describe("the settings page", () => {
  beforeEach(() => {
    vi.mocked(readSettings).mockResolvedValue(VIEW);
    vi.mocked(syncRejections).mockResolvedValue([]);
  });

  it("saves a setting on Enter and shows Rust's error under it, keeping what was typed", async () => {
    const user = userEvent.setup();
    const refused: EditorError = {
      code: "invalid_input",
      message: "80 is outside 1024 to 65535: ports below 1024 need administrator rights, and none is above 65535",
      field: "receiverPort",
    };
    vi.mocked(changeSetting).mockRejectedValueOnce(refused).mockResolvedValueOnce({ ...VIEW, receiverPort: 9000 });
    render(<SettingsPage appInfo={READY} />);

    const port = await screen.findByLabelText("Development receiver port");
    expect(port).toHaveValue("8787");
    await user.clear(port);
    await user.type(port, "80{Enter}");
    expect(changeSetting).toHaveBeenCalledWith({ key: "receiverPort", value: "80" });
    expect(await screen.findByText(refused.message)).toBeInTheDocument();
    expect(port).toHaveValue("80");
    expect(port).toHaveAttribute("aria-invalid", "true");
    expect(screen.getByLabelText("API base URL")).not.toHaveAttribute("aria-invalid", "true");

    await user.clear(port);
    await user.type(port, "9000");
    await user.tab();
    expect(changeSetting).toHaveBeenLastCalledWith({ key: "receiverPort", value: "9000" });
    expect(await screen.findByLabelText("Development receiver port")).toHaveAttribute("aria-invalid", "false");
    expect(screen.queryByText(refused.message)).not.toBeInTheDocument();
  });

  it("on a read-only file, shows the settings and changes none", async () => {
    const user = userEvent.setup();
    vi.mocked(changeSetting).mockClear();
    render(
      <ReadOnlyContext.Provider value="studio.db was written by a newer Webhook Studio.">
        <SettingsPage appInfo={READY} />
      </ReadOnlyContext.Provider>,
    );

    const port = await screen.findByLabelText("Development receiver port");
    expect(port).toHaveAttribute("readonly");
    await user.type(port, "1{Enter}");
    await user.tab();
    expect(port).toHaveValue("8787");
    expect(changeSetting).not.toHaveBeenCalled();
    expect(screen.getByRole("radio", { name: /Remote API/ })).toBeDisabled();
    expect(screen.getByRole("button", { name: "Save" })).toBeDisabled();
  });

  it("starts on Local only, with the data folder", async () => {
    render(<SettingsPage appInfo={READY} />);
    expect(await screen.findByRole("radio", { name: /Local only/ })).toBeChecked();
    expect(screen.getByRole("radio", { name: /Remote API/ })).not.toBeChecked();
    expect(screen.queryByLabelText("Server address")).not.toBeInTheDocument();
    expect(screen.getByText("/data")).toBeInTheDocument();
  });

  it("tests the connection as typed and shows the answer, then saves; a refused field keeps what was typed", async () => {
    const user = userEvent.setup();
    const unreachable: ConnectionView = {
      check: "unreachable",
      headline: "Cannot reach the server",
      message: "Cannot reach http://127.0.0.1:9: connection refused.",
    };
    const connected: ConnectionView = {
      check: "connected",
      headline: "Connected to team 'Acme'",
      message: "Webhook Studio server 0.1.0 accepted the key. Save to sync with it.",
    };
    vi.mocked(testConnection).mockResolvedValueOnce(unreachable).mockResolvedValueOnce(connected);
    const badKey: EditorError = {
      code: "invalid_input",
      message: "This is not a Webhook Studio API key: keys start with whsk_.",
      field: "apiKey",
    };
    const saved: SettingsView = {
      ...VIEW,
      sync: {
        target: "remote",
        baseUrl: "http://127.0.0.1:9000",
        keyMasked: "whsk_••••••••wxyz",
        suggestedApiBase: "http://127.0.0.1:9000",
      },
    };
    vi.mocked(saveSync).mockRejectedValueOnce(badKey).mockResolvedValueOnce(saved);
    render(<SettingsPage appInfo={READY} />);

    await user.click(await screen.findByRole("radio", { name: /Remote API/ }));
    const address = screen.getByLabelText("Server address");
    await user.type(address, "http://127.0.0.1:9");
    const key = screen.getByLabelText("API key");
    await user.type(key, "sk_live_1");
    await user.click(screen.getByRole("button", { name: "Test connection" }));
    expect(testConnection).toHaveBeenLastCalledWith("http://127.0.0.1:9", "sk_live_1");
    const answer = screen.getByRole("status");
    expect(await within(answer).findByText("Cannot reach the server")).toBeInTheDocument();
    expect(answer).toHaveTextContent("connection refused");

    await user.click(screen.getByRole("button", { name: "Save" }));
    expect(saveSync).toHaveBeenLastCalledWith({ target: "remote", baseUrl: "http://127.0.0.1:9", newKey: "sk_live_1" });
    expect(await screen.findByText(badKey.message)).toBeInTheDocument();
    expect(key).toHaveAttribute("aria-invalid", "true");
    expect(key).toHaveValue("sk_live_1");
    expect(address).toHaveValue("http://127.0.0.1:9");

    await user.clear(address);
    await user.type(address, "http://127.0.0.1:9000");
    await user.clear(key);
    await user.type(key, "whsk_abcdefghijklmnopqrstuvwxyz");
    await user.click(screen.getByRole("button", { name: "Test connection" }));
    expect(await within(answer).findByText("Connected to team 'Acme'")).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Save" }));

    // Once saved, the key is only shown masked, and a new one would replace it.
    expect(await screen.findByText("whsk_••••••••wxyz")).toBeInTheDocument();
    expect(screen.getByLabelText("Replace key")).toHaveValue("");
    expect(screen.queryByDisplayValue("whsk_abcdefghijklmnopqrstuvwxyz")).not.toBeInTheDocument();
    expect(screen.getByRole("note")).toHaveTextContent("Use http://127.0.0.1:9000 instead");
  });

  it("says under the Sync heading why sync is stuck, in Rust's words", async () => {
    const refused = "The server refused the API key: it is wrong, or it was revoked.";
    const { rerender } = render(
      <SettingsPage appInfo={READY} sync={{ state: "error", label: "Sync error", detail: refused, count: 0 }} />,
    );
    expect(await screen.findByTestId("sync-state-line")).toHaveTextContent(`Sync error${refused}`);

    const onOpenConflicts = vi.fn();
    rerender(
      <SettingsPage
        appInfo={READY}
        sync={{ state: "conflict", label: "1 conflict", detail: "Changed here and on the server.", count: 1 }}
        onOpenConflicts={onOpenConflicts}
      />,
    );
    await userEvent.setup().click(screen.getByRole("button", { name: "Open the conflicts" }));
    expect(onOpenConflicts).toHaveBeenCalledTimes(1);

    rerender(<SettingsPage appInfo={READY} sync={{ state: "local", label: "Local only", detail: null, count: 0 }} />);
    expect(screen.queryByTestId("sync-state-line")).not.toBeInTheDocument();
  });

  it("lists each change the server refused with its reason and fix, and dismisses it", async () => {
    const user = userEvent.setup();
    const refusedBlock: RejectionView = {
      id: 7,
      title: "Block 'Order webhook' in bot 'Shop'",
      reason: "Another team's bot already uses this block id",
      fix: "Duplicate the bot to give its blocks new ids.",
      rejectedAt: "2026-11-25T10:00:00Z",
    };
    vi.mocked(syncRejections).mockResolvedValue([refusedBlock]);
    vi.mocked(dismissSyncRejection).mockResolvedValue([]);
    render(
      <SettingsPage
        appInfo={READY}
        sync={{ state: "error", label: "Sync error", detail: "The server refused 1 change(s).", count: 0 }}
      />,
    );
    const item = await screen.findByRole("listitem", { name: refusedBlock.title });
    expect(item).toHaveTextContent(refusedBlock.reason);
    expect(item).toHaveTextContent(refusedBlock.fix);

    await user.click(within(item).getByRole("button", { name: "Dismiss" }));
    expect(dismissSyncRejection).toHaveBeenCalledWith(7);
    expect(screen.queryByRole("listitem", { name: refusedBlock.title })).not.toBeInTheDocument();
    expect(screen.queryByText("Refused by the server")).not.toBeInTheDocument();
  });
});
