import { act, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { OpenConflictsContext } from "../../app/OpenConflicts.ts";
import { ReadOnlyContext } from "../../app/readOnly.ts";
import * as backend from "../../backend/panel.ts";
import * as syncBackend from "../../backend/sync.ts";
import { ToastProvider } from "../toast/ToastProvider.tsx";
import { WebhookPanel } from "./WebhookPanel.tsx";
import { testPanel } from "./testPanel.ts";

vi.mock("../../backend/panel.ts", () => ({
  webhookPanel: vi.fn(),
  editWebhookForm: vi.fn(),
  undoWebhookEdit: vi.fn(),
  redoWebhookEdit: vi.fn(),
  addMappingForPath: vi.fn(),
  chooseWebhookChannel: vi.fn(),
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

vi.mock("../../backend/sync.ts", () => ({
  onRemoteChanges: vi.fn(() => Promise.resolve(() => undefined)),
}));

const api = vi.mocked(backend);
const sync = vi.mocked(syncBackend);

/** What a pull tells the window: the ids of the bots it changed. */
let remoteChanges: (bots: string[]) => void = () => undefined;

const CHANGED_ELSEWHERE = {
  code: "changed_elsewhere",
  message:
    "This block was changed by a teammate while you were editing; your version is kept in Sync conflicts — choose there what to keep.",
  field: null,
};

async function open(panel = testPanel(), props: Partial<Parameters<typeof WebhookPanel>[0]> = {}) {
  api.webhookPanel.mockResolvedValue(panel);
  api.editWebhookForm.mockImplementation((_bot, _block, _base, form) =>
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
  remoteChanges = () => undefined;
  sync.onRemoteChanges.mockImplementation((handler) => {
    remoteChanges = handler;
    return Promise.resolve(() => undefined);
  });
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

  it("sends a chosen channel to Rust and shows the form it saved", async () => {
    const panel = testPanel({
      channels: [
        ...testPanel().channels,
        { channel: "telegram", label: "Telegram", accounts: [{ alias: "tg-bot", label: "Shop bot" }] },
      ],
    });
    await open(panel);
    // Rust decides the account: Support is WhatsApp's, so Telegram's form has none.
    const telegram: typeof panel.form = { ...panel.form, channel: "telegram" };
    delete telegram.account;
    api.chooseWebhookChannel.mockResolvedValue({ ...panel, form: telegram });
    fireEvent.change(screen.getByRole("combobox", { name: "Select Channel" }), {
      target: { value: "telegram" },
    });
    await waitFor(() => {
      expect(screen.getByRole("combobox", { name: "Select Channel" })).toHaveValue("telegram");
    });
    expect(api.chooseWebhookChannel).toHaveBeenCalledWith("bot-1", "wh-1", "telegram");
    expect(screen.getByRole("combobox", { name: "Select Account" })).toHaveValue("");
    expect(api.editWebhookForm).not.toHaveBeenCalled();
  });

  it("marks a row new only when Rust says its variable will be created", async () => {
    await open(testPanel({ mappings: [{ setVariable: "customer_name", createsVariable: false }] }));
    const row = screen.getByRole("group", { name: "Row 1" });
    expect(within(row).queryByText("new")).not.toBeInTheDocument();
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
    expect(api.editWebhookForm.mock.calls[0]?.[3].contact_reference_id).toBe("+14155550123");
    expect(onChanged).toHaveBeenCalledTimes(1);

    fireEvent.change(contact, { target: { value: "{customer_name}" } });
    await act(async () => {
      fireEvent.blur(contact);
      await Promise.resolve();
    });
    expect(api.editWebhookForm).toHaveBeenCalledTimes(2);
    expect(api.editWebhookForm.mock.calls[1]?.[3].contact_reference_id).toBe("{customer_name}");
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
    expect(api.editWebhookForm.mock.calls[1]?.[3].contact_reference_id).toBe("+14155550123");
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

/** The panel inside the window's toasts and its way to the Sync conflicts view. */
async function openInWindow(panel = testPanel()) {
  api.editWebhookForm.mockClear();
  api.webhookPanel.mockResolvedValue(panel);
  api.editWebhookForm.mockImplementation((_bot, _block, _base, form) => Promise.resolve({ ...panel, form }));
  const openConflicts = vi.fn();
  render(
    <ToastProvider>
      <OpenConflictsContext.Provider value={openConflicts}>
        <WebhookPanel botId="bot-1" blockId="wh-1" onChanged={vi.fn()} onOpenChannels={vi.fn()} />
      </OpenConflictsContext.Provider>
    </ToastProvider>,
  );
  await screen.findByRole("textbox", { name: "Webhook URL" });
  return { openConflicts };
}

describe("WebhookPanel and a teammate's changes", () => {
  it("bases each save on the one before it, however fast the typing", async () => {
    const panel = testPanel();
    await openInWindow(panel);
    const contact = screen.getByRole("textbox", { name: "Contact Reference ID" });
    for (const typed of ["+1", "+14", "+141"]) {
      fireEvent.change(contact, { target: { value: typed } });
      fireEvent.blur(contact);
    }
    await act(async () => {
      await Promise.resolve();
    });
    const calls = api.editWebhookForm.mock.calls;
    expect(calls.length).toBeGreaterThanOrEqual(2);
    expect(calls[0]?.[2]).toEqual(panel.form);
    for (let i = 1; i < calls.length; i++) {
      expect(calls[i]?.[2]).toEqual(calls[i - 1]?.[3]);
    }
    expect(calls.at(-1)?.[3].contact_reference_id).toBe("+141");
  });

  it("on a change made elsewhere: no retry, the teammate's version shown, and a toast to Sync conflicts", async () => {
    const panel = testPanel();
    const { openConflicts } = await openInWindow(panel);
    const theirs = testPanel({ form: { ...panel.form, contact_reference_id: "{teammate}" } });
    api.webhookPanel.mockResolvedValue(theirs);
    vi.useFakeTimers();
    api.editWebhookForm.mockClear();
    api.editWebhookForm.mockRejectedValue(CHANGED_ELSEWHERE);
    const contact = screen.getByRole("textbox", { name: "Contact Reference ID" });
    fireEvent.change(contact, { target: { value: "+14155550123" } });
    await act(() => vi.advanceTimersByTimeAsync(300));

    expect(contact).toHaveValue("{teammate}");
    const toast = screen.getByTestId("toast");
    expect(toast).toHaveTextContent(CHANGED_ELSEWHERE.message);
    expect(screen.queryByRole("alert")).toBeNull();

    // Never tried again: the edit is kept in Sync conflicts, and the toast stays until used.
    await act(() => vi.advanceTimersByTimeAsync(60_000));
    expect(api.editWebhookForm).toHaveBeenCalledTimes(1);
    expect(screen.getByTestId("toast")).toBeInTheDocument();
    fireEvent.click(within(toast).getByRole("button", { name: "Open Sync conflicts" }));
    expect(openConflicts).toHaveBeenCalledTimes(1);
    expect(screen.queryByTestId("toast")).toBeNull();

    // The next keystroke is based on the teammate's version.
    api.editWebhookForm.mockImplementation((_bot, _block, _base, form) => Promise.resolve({ ...theirs, form }));
    fireEvent.change(contact, { target: { value: "{teammate}1" } });
    await act(() => vi.advanceTimersByTimeAsync(300));
    expect(api.editWebhookForm).toHaveBeenCalledTimes(2);
    expect(api.editWebhookForm.mock.calls[1]?.[2]).toEqual(theirs.form);
  });

  it("sends what was typed after the refused save on the same base, so the conflict keeps all of it", async () => {
    const panel = testPanel();
    await openInWindow(panel);
    const theirs = testPanel({ form: { ...panel.form, contact_reference_id: "{teammate}" } });
    api.webhookPanel.mockResolvedValue(theirs);
    vi.useFakeTimers();
    let refuse: (error: unknown) => void = () => undefined;
    api.editWebhookForm.mockImplementation(
      () =>
        new Promise((_resolve, reject) => {
          refuse = reject;
        }),
    );
    const contact = screen.getByRole("textbox", { name: "Contact Reference ID" });
    fireEvent.change(contact, { target: { value: "+1" } });
    await act(() => vi.advanceTimersByTimeAsync(300));
    expect(api.editWebhookForm).toHaveBeenCalledTimes(1);
    // More typing while the first save is on its way; then Rust refuses that save.
    fireEvent.change(contact, { target: { value: "+12" } });
    await act(async () => {
      refuse(CHANGED_ELSEWHERE);
      await vi.advanceTimersByTimeAsync(0);
    });
    expect(contact).toHaveValue("+12");

    api.editWebhookForm.mockRejectedValue(CHANGED_ELSEWHERE);
    await act(() => vi.advanceTimersByTimeAsync(300));
    expect(api.editWebhookForm).toHaveBeenCalledTimes(2);
    expect(api.editWebhookForm.mock.calls[1]?.[2]).toEqual(panel.form);
    expect(api.editWebhookForm.mock.calls[1]?.[3].contact_reference_id).toBe("+12");
    expect(contact).toHaveValue("{teammate}");
    await act(() => vi.advanceTimersByTimeAsync(60_000));
    expect(api.editWebhookForm).toHaveBeenCalledTimes(2);
  });

  it("shows a pull's change of its bot at once when nothing typed is waiting", async () => {
    const panel = testPanel();
    await openInWindow(panel);
    const contact = screen.getByRole("textbox", { name: "Contact Reference ID" });
    api.webhookPanel.mockResolvedValue(testPanel({ form: { ...panel.form, contact_reference_id: "{teammate}" } }));

    // Another bot's change: nothing read again.
    api.webhookPanel.mockClear();
    await act(async () => {
      remoteChanges(["bot-2"]);
      await Promise.resolve();
    });
    expect(api.webhookPanel).not.toHaveBeenCalled();
    expect(contact).toHaveValue("");

    await act(async () => {
      remoteChanges(["bot-1"]);
      await Promise.resolve();
    });
    expect(contact).toHaveValue("{teammate}");
  });

  it("keeps what is typed and not yet saved when a pull changes its bot", async () => {
    const panel = testPanel();
    await openInWindow(panel);
    vi.useFakeTimers();
    api.webhookPanel.mockResolvedValue(testPanel({ form: { ...panel.form, contact_reference_id: "{teammate}" } }));
    api.webhookPanel.mockClear();
    const contact = screen.getByRole("textbox", { name: "Contact Reference ID" });
    fireEvent.change(contact, { target: { value: "+1" } });
    await act(async () => {
      remoteChanges(["bot-1"]);
      await Promise.resolve();
    });
    expect(api.webhookPanel).not.toHaveBeenCalled();
    expect(contact).toHaveValue("+1");
  });
});

describe("WebhookPanel on a read-only file", () => {
  const REASON = "studio.db was written by a newer Webhook Studio (schema version 99; this build knows up to 4).";
  const SUBMIT_OFF = "This file is read-only: the block can be read and copied, not submitted.";

  async function openReadOnly() {
    const panel = testPanel({
      canUndo: true,
      submit: { enabled: false, reason: SUBMIT_OFF },
      sample: {
        key: "",
        path: null,
        kind: "object",
        preview: null,
        suggestedVariable: null,
        mappedTo: null,
        more: 0,
        children: [
          {
            key: "id",
            path: "id",
            kind: "string",
            preview: '"A-1"',
            suggestedVariable: "id",
            mappedTo: null,
            children: [],
            more: 0,
          },
        ],
      },
    });
    api.webhookPanel.mockResolvedValue(panel);
    api.editWebhookForm.mockClear();
    api.undoWebhookEdit.mockClear();
    api.copyToClipboard.mockResolvedValue({ toast: "Production Webhook URL copied." });
    render(
      <ReadOnlyContext.Provider value={REASON}>
        <WebhookPanel botId="bot-1" blockId="wh-1" onChanged={vi.fn()} onOpenChannels={vi.fn()} />
      </ReadOnlyContext.Provider>,
    );
    await screen.findByRole("textbox", { name: "Webhook URL" });
  }

  it("offers no control that would change the block, and Submit says why", async () => {
    await openReadOnly();
    for (const name of ["Conversational", "Workflow"]) {
      expect(screen.getByRole("radio", { name: new RegExp(name) })).toBeDisabled();
    }
    expect(screen.getByRole("combobox", { name: "Select Channel" })).toBeDisabled();
    expect(screen.getByRole("combobox", { name: "Select Account" })).toBeDisabled();
    const row = screen.getByRole("group", { name: "Row 1" });
    expect(within(row).getByRole("textbox", { name: "Data" })).toHaveAttribute("readonly");
    expect(within(row).getByRole("combobox", { name: "Set Variable" })).toHaveAttribute("readonly");
    expect(within(row).getByRole("checkbox", { name: "Optional" })).toBeDisabled();
    expect(within(row).getByRole("button", { name: "Remove row 1" })).toBeDisabled();
    for (const name of ["Add row", "Rotate token", "Undo", "Listen for test request"]) {
      expect(screen.getByRole("button", { name })).toBeDisabled();
    }
    expect(screen.getByRole("textbox", { name: "Contact Reference ID" })).toHaveAttribute("readonly");
    expect(screen.getByRole("textbox", { name: "Block name" })).toHaveAttribute("readonly");
    // Neither the sample's + nor the contact's variable chips.
    expect(screen.queryByRole("button", { name: "Map id" })).toBeNull();
    expect(screen.queryByRole("group", { name: "Variables for Contact Reference ID" })).toBeNull();
    const submit = screen.getByRole("button", { name: "Submit" });
    expect(submit).toBeDisabled();
    expect(submit).toHaveAccessibleDescription(SUBMIT_OFF);
  });

  it("still shows, reveals and copies, and typing or Ctrl+Z sends nothing", async () => {
    await openReadOnly();
    expect(screen.getByRole("button", { name: "Reveal" })).toBeEnabled();
    expect(screen.getByRole("button", { name: "Copy token" })).toBeEnabled();
    await act(async () => {
      fireEvent.click(screen.getByRole("button", { name: "Copy Webhook URL" }));
      await Promise.resolve();
    });
    expect(api.copyToClipboard).toHaveBeenCalledWith("bot-1", "wh-1", { what: "url", env: "production" });

    const contact = screen.getByRole("textbox", { name: "Contact Reference ID" });
    await userEvent.type(contact, "+1415");
    expect(contact).toHaveValue("");
    fireEvent.keyDown(contact, { key: "z", ctrlKey: true });
    fireEvent.blur(contact);
    await act(() => new Promise((resolve) => setTimeout(resolve, 400)));
    expect(api.editWebhookForm).not.toHaveBeenCalled();
    expect(api.undoWebhookEdit).not.toHaveBeenCalled();
  });
});
