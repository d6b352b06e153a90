import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { changeSetting, readSettings, type EditorError, type SettingsView } from "../backend/builder.ts";
import { SettingsPage } from "./SettingsPage.tsx";

vi.mock("../backend/builder.ts", async (importOriginal) => ({
  ...(await importOriginal<typeof import("../backend/builder.ts")>()),
  readSettings: vi.fn(),
  changeSetting: vi.fn(),
}));

const VIEW: SettingsView = {
  apiBase: "https://api.webhook.studio",
  receiverPort: 8787,
  clipboardClearSeconds: 30,
  syncTarget: "local",
};
const READY = { status: "ready", info: { version: "0.1.0", dataDir: "/data" } } as const;

describe("the settings page", () => {
  beforeEach(() => {
    vi.mocked(readSettings).mockResolvedValue(VIEW);
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

  it("offers only the local sync target for now, and the data folder", async () => {
    render(<SettingsPage appInfo={READY} />);
    expect(await screen.findByRole("radio", { name: /Local only/ })).toBeChecked();
    expect(screen.getByRole("radio", { name: /Remote API/ })).toBeDisabled();
    expect(screen.getByText("Coming with team sync")).toBeInTheDocument();
    expect(screen.getByText("/data")).toBeInTheDocument();
  });
});
