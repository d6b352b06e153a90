import { act, fireEvent, render, screen, within } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import * as backend from "../../backend/panel.ts";
import { WebhookPanel } from "./WebhookPanel.tsx";
import { testPanel } from "./testPanel.ts";

vi.mock("../../backend/panel.ts", () => ({
  webhookPanel: vi.fn(),
  editWebhookForm: vi.fn(),
  undoWebhookEdit: vi.fn(),
  redoWebhookEdit: vi.fn(),
  addMappingForPath: vi.fn(),
  rotateToken: vi.fn(),
  revealToken: vi.fn(),
  submitWebhook: vi.fn(),
  renameBlock: vi.fn(),
  copyToClipboard: vi.fn(),
  startListening: vi.fn(),
  stopListening: vi.fn(),
  listeningStatus: vi.fn(() => Promise.resolve({ state: "stopped" })),
  capturedRequests: vi.fn(() => Promise.resolve([])),
  replayRequest: vi.fn(),
  keepAsSample: vi.fn(),
  onCapturedRequest: vi.fn(() => Promise.resolve(() => undefined)),
}));

const api = vi.mocked(backend);

async function open(panel = testPanel(), props: Partial<Parameters<typeof WebhookPanel>[0]> = {}) {
  api.webhookPanel.mockResolvedValue(panel);
  api.editWebhookForm.mockImplementation((_bot, _block, form) =>
    Promise.resolve({ ...panel, form }),
  );
  const onChanged = vi.fn();
  const onOpenChannels = vi.fn();
  render(
    <WebhookPanel
      botId="bot-1"
      blockId="wh-1"
      onChanged={onChanged}
      onOpenChannels={onOpenChannels}
      {...props}
    />,
  );
  await screen.findByRole("textbox", { name: "Webhook URL" });
  return { onChanged, onOpenChannels };
}

beforeEach(() => {
  api.listeningStatus.mockResolvedValue({ state: "stopped" });
  api.capturedRequests.mockResolvedValue([]);
  api.onCapturedRequest.mockResolvedValue(() => undefined);
});

afterEach(() => {
  vi.useRealTimers();
});

describe("WebhookPanel", () => {
  it("shows every section under its visible label", async () => {
    await open();
    expect(screen.getByRole("group", { name: "Select Webhook Type" })).toBeInTheDocument();
    expect(screen.getByRole("textbox", { name: "Webhook URL" })).toHaveValue(
      "https://api.example.test/v1/webhooks/wh-1",
    );
    expect(screen.getByRole("textbox", { name: "Authorization Token" })).toHaveValue("whs_••••k5E");
    expect(screen.getByRole("combobox", { name: "Select Channel" })).toHaveValue("whatsapp");
    expect(screen.getByRole("combobox", { name: "Select Account" })).toHaveValue("support-line");
    const row = screen.getByRole("group", { name: "Row 1" });
    expect(within(row).getByRole("textbox", { name: "Data" })).toHaveValue("data.name");
    expect(within(row).getByRole("combobox", { name: "Set Variable" })).toHaveValue("customer_name");
    expect(within(row).getByText("new")).toBeInTheDocument();
    expect(screen.getByRole("textbox", { name: "Contact Reference ID" })).toBeInTheDocument();
    expect(screen.getByRole("tablist", { name: "Sample Curl Request" })).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Submit" })).toBeEnabled();
  });

  it("saves 300 ms after the last keystroke, and at once on blur", async () => {
    const { onChanged } = await open();
    vi.useFakeTimers();
    const contact = screen.getByRole("textbox", { name: "Contact Reference ID" });

    fireEvent.change(contact, { target: { value: "+1415" } });
    fireEvent.change(contact, { target: { value: "+14155550123" } });
    await act(() => vi.advanceTimersByTimeAsync(299));
    expect(api.editWebhookForm).not.toHaveBeenCalled();
    await act(() => vi.advanceTimersByTimeAsync(1));
    expect(api.editWebhookForm).toHaveBeenCalledTimes(1);
    expect(api.editWebhookForm.mock.calls[0]?.[2].contact_reference_id).toBe("+14155550123");
    expect(onChanged).toHaveBeenCalledTimes(1);

    fireEvent.change(contact, { target: { value: "{customer_name}" } });
    await act(async () => {
      fireEvent.blur(contact);
      await Promise.resolve();
    });
    expect(api.editWebhookForm).toHaveBeenCalledTimes(2);
    expect(api.editWebhookForm.mock.calls[1]?.[2].contact_reference_id).toBe("{customer_name}");
  });

  it("keeps what is typed while an older save answers", async () => {
    const panel = testPanel();
    await open(panel);
    let answer: (p: backend.WebhookPanel) => void = () => undefined;
    api.editWebhookForm.mockImplementation(
      () =>
        new Promise((resolve) => {
          answer = resolve;
        }),
    );
    const contact = screen.getByRole("textbox", { name: "Contact Reference ID" });
    fireEvent.change(contact, { target: { value: "+1" } });
    fireEvent.blur(contact);
    fireEvent.change(contact, { target: { value: "+14" } });
    await act(async () => {
      answer({ ...panel, form: { ...panel.form, contact_reference_id: "+1" } });
      await Promise.resolve();
    });
    expect(contact).toHaveValue("+14");
  });

  it("shows a problem under its field, with its fix", async () => {
    await open(
      testPanel({
        problems: [
          {
            field: { kind: "contactReferenceId" },
            code: "missing_country_code",
            message: "Add the country code, like +1 for the United States.",
            suggestion: "+14155550123",
            incomplete: false,
          },
        ],
        submit: { enabled: false, reason: "Fix the problem marked in the form to submit." },
      }),
    );
    const contact = screen.getByRole("textbox", { name: "Contact Reference ID" });
    expect(contact).toHaveAttribute("aria-invalid", "true");
    expect(contact).toHaveAccessibleDescription(
      expect.stringContaining("Add the country code") as string,
    );
    fireEvent.click(screen.getByRole("button", { name: "Use +14155550123" }));
    expect(contact).toHaveValue("+14155550123");
  });

  it("holds back an empty required field's problem until it was touched", async () => {
    await open(
      testPanel({
        form: { ...testPanel().form, mappings: [{ data: "", set_variable: "name", optional: false }] },
        problems: [
          {
            field: { kind: "mappingData", row: 0 },
            code: "required",
            message: "Type the path of the value to save, like data.name.",
            suggestion: null,
            incomplete: true,
          },
        ],
      }),
    );
    const data = within(screen.getByRole("group", { name: "Row 1" })).getByRole("textbox", {
      name: "Data",
    });
    expect(screen.queryByText(/Type the path of the value/)).not.toBeInTheDocument();
    expect(data).toHaveAttribute("aria-invalid", "false");

    fireEvent.focus(data);
    fireEvent.blur(data);

    expect(await screen.findByText(/Type the path of the value/)).toBeInTheDocument();
    expect(data).toHaveAttribute("aria-invalid", "true");
  });

  it("warns when the bot has no channel and links to the Channels page", async () => {
    const { onOpenChannels } = await open(
      testPanel({
        noConnectedChannel: true,
        channels: [],
        submit: {
          enabled: false,
          reason: "Connect a channel to this bot first: a webhook needs a channel to act on.",
        },
      }),
    );
    expect(
      screen.getByText("This bot has no connected channel. A webhook needs one to act on."),
    ).toBeInTheDocument();
    fireEvent.click(screen.getByRole("button", { name: "Open the Channels page" }));
    await vi.waitFor(() => {
      expect(onOpenChannels).toHaveBeenCalledTimes(1);
    });
  });

  it("disables Submit and says why", async () => {
    await open(
      testPanel({ submit: { enabled: false, reason: "Fix the 2 problems marked in the form to submit." } }),
    );
    const submit = screen.getByRole("button", { name: "Submit" });
    expect(submit).toBeDisabled();
    expect(submit).toHaveAccessibleDescription("Fix the 2 problems marked in the form to submit.");
    expect(screen.getByText("Fix the 2 problems marked in the form to submit.")).toBeVisible();
  });

  it("keeps the typed value when the save fails, and says why", async () => {
    await open();
    api.editWebhookForm.mockRejectedValue({
      code: "store",
      message: "The store is read-only.",
      field: null,
    });
    const contact = screen.getByRole("textbox", { name: "Contact Reference ID" });
    fireEvent.change(contact, { target: { value: "+14155550123" } });
    fireEvent.blur(contact);

    expect(await screen.findByRole("alert")).toHaveTextContent("Not saved: The store is read-only.");
    expect(contact).toHaveValue("+14155550123");
  });

  it("tries a failed save again by itself, and says so once it is saved", async () => {
    const panel = testPanel();
    await open(panel);
    vi.useFakeTimers();
    api.editWebhookForm.mockClear();
    api.editWebhookForm.mockRejectedValueOnce({
      code: "locked",
      message: "Another program holds the database's write lock.",
      field: null,
    });
    const contact = screen.getByRole("textbox", { name: "Contact Reference ID" });
    fireEvent.change(contact, { target: { value: "+14155550123" } });
    await act(() => vi.advanceTimersByTimeAsync(300));
    expect(screen.getByRole("alert")).toHaveTextContent("Not saved: Another program holds");
    expect(api.editWebhookForm).toHaveBeenCalledTimes(1);

    // No keystroke: the lock goes away and the next attempt saves what was typed.
    await act(() => vi.advanceTimersByTimeAsync(2_000));
    expect(api.editWebhookForm).toHaveBeenCalledTimes(2);
    expect(api.editWebhookForm.mock.calls[1]?.[2].contact_reference_id).toBe("+14155550123");
    expect(screen.queryByRole("alert")).toBeNull();
    expect(contact).toHaveValue("+14155550123");
  });

  it("shows and copies the PowerShell command when that shell is chosen", async () => {
    await open();
    api.copyToClipboard.mockResolvedValue({ toast: "Development PowerShell command copied." });
    fireEvent.click(screen.getByRole("tab", { name: "Development" }));
    fireEvent.click(within(screen.getByRole("group", { name: "Shell" })).getByRole("button", { name: "PowerShell" }));
    expect(screen.getByText(/Invoke-RestMethod -Method Post -Uri 'http:\/\/127\.0\.0\.1:8787/)).toBeInTheDocument();
    await act(async () => {
      fireEvent.click(screen.getByRole("button", { name: "Copy PowerShell command" }));
      await Promise.resolve();
    });
    expect(api.copyToClipboard).toHaveBeenCalledWith("bot-1", "wh-1", {
      what: "curl",
      env: "development",
      shell: "powershell",
    });
  });

  it("undoes with Ctrl+Z when there is an edit to undo", async () => {
    const panel = testPanel({ canUndo: true });
    await open(panel);
    api.undoWebhookEdit.mockResolvedValue({
      ...panel,
      canUndo: false,
      canRedo: true,
      form: { ...panel.form, contact_reference_id: "" },
    });
    fireEvent.keyDown(screen.getByRole("textbox", { name: "Contact Reference ID" }), {
      key: "z",
      ctrlKey: true,
    });
    await vi.waitFor(() => {
      expect(api.undoWebhookEdit).toHaveBeenCalledWith("bot-1", "wh-1");
    });
    expect(await screen.findByRole("button", { name: "Redo" })).toBeEnabled();
  });
});
