import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import type { StoreStatus } from "../../backend.ts";
import { StatusBar } from "./StatusBar.tsx";

const INFO = { status: "ready", info: { version: "0.1.0", dataDir: "/home/ada/.local/share/studio" } } as const;
const OPEN: StoreStatus = { state: "open", path: "/home/ada/.local/share/studio/studio.db", schemaVersion: 4, bots: 1, readOnlyReason: null };

function state(store: StoreStatus) {
  render(<StatusBar appInfo={INFO} store={{ status: "ready", store }} />);
  return screen.getByRole("contentinfo").querySelector(".status-state");
}

describe("StatusBar", () => {
  it("says Ready with a store open for writing", () => {
    expect(state(OPEN)).toHaveTextContent("Ready");
  });

  it("says Read-only, with the store's reason on hover, when every write will be refused", () => {
    const reason = "studio.db was written by a newer Webhook Studio (schema version 99). Update Webhook Studio to edit it.";
    const shown = state({ ...OPEN, readOnlyReason: reason });
    expect(shown).toHaveTextContent("Read-only");
    expect(shown).toHaveAttribute("title", reason);
    expect(screen.getByTestId("status-store")).toHaveTextContent("studio.db · 1 bot · read-only");
  });

  it("says Needs attention when the store could not be opened", () => {
    expect(
      state({ state: "unavailable", code: "not_a_database", message: "Not a database.", path: OPEN.path, mayMoveAside: true }),
    ).toHaveTextContent("Needs attention");
  });
});
