import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import type { SyncStatusView } from "../../backend/sync.ts";
import { SyncPill } from "./SyncPill.tsx";

const view = (state: SyncStatusView["state"], label: string, count = 0): SyncStatusView => ({
  state,
  label,
  detail: `${label}: detail`,
  count,
});

describe("the sync pill", () => {
  it("shows Rust's words as they are, announced politely", () => {
    const { rerender } = render(
      <SyncPill status={view("pending", "3 pending", 3)} onOpenConflicts={vi.fn()} onOpenSettings={vi.fn()} />,
    );
    const pill = screen.getByTestId("sync-pill");
    expect(pill).toHaveTextContent("3 pending");
    expect(pill).toHaveAttribute("aria-live", "polite");
    expect(screen.queryByRole("button")).not.toBeInTheDocument();

    rerender(
      <SyncPill
        status={view("offline", "Offline — retrying in 8 s")}
        onOpenConflicts={vi.fn()}
        onOpenSettings={vi.fn()}
      />,
    );
    expect(pill).toHaveTextContent("Offline — retrying in 8 s");
    expect(pill).toHaveAttribute("data-state", "offline");
  });

  it("opens the conflicts when there are some, and Settings on an error", async () => {
    const user = userEvent.setup();
    const onOpenConflicts = vi.fn();
    const onOpenSettings = vi.fn();
    const { rerender } = render(
      <SyncPill status={view("conflict", "1 conflict", 1)} onOpenConflicts={onOpenConflicts} onOpenSettings={onOpenSettings} />,
    );
    await user.click(screen.getByRole("button", { name: "1 conflict" }));
    expect(onOpenConflicts).toHaveBeenCalledTimes(1);

    rerender(
      <SyncPill status={view("error", "Sync error")} onOpenConflicts={onOpenConflicts} onOpenSettings={onOpenSettings} />,
    );
    await user.click(screen.getByRole("button", { name: "Sync error" }));
    expect(onOpenSettings).toHaveBeenCalledTimes(1);
  });

  it("shows nothing before the first answer", () => {
    render(<SyncPill status={undefined} onOpenConflicts={vi.fn()} onOpenSettings={vi.fn()} />);
    expect(screen.queryByTestId("sync-pill")).not.toBeInTheDocument();
  });
});
