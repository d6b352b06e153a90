import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import type { NodeProps } from "@xyflow/react";
import { describe, expect, it, vi } from "vitest";
import { CanvasActionsContext } from "./CanvasActions.ts";
import { LaneNodeView } from "./LaneNodeView.tsx";
import type { LaneNode } from "./layout.ts";

describe("a sequence's lane", () => {
  it("asks the builder to rename it, without selecting anything else", async () => {
    const user = userEvent.setup();
    const actions = { move: vi.fn(), selectSequence: vi.fn(), renameSequence: vi.fn(), sequences: [] };
    // Only `data` is read by the lane; the rest of React Flow's node props do not matter here.
    const props = {
      data: { sequenceId: "seq-1", name: "On sign-up", blocks: 2, active: false },
    } as unknown as NodeProps<LaneNode>;
    render(
      <CanvasActionsContext.Provider value={actions}>
        <LaneNodeView {...props} />
      </CanvasActionsContext.Provider>,
    );
    await user.click(screen.getByRole("button", { name: "Rename sequence On sign-up" }));
    expect(actions.renameSequence).toHaveBeenCalledWith("seq-1", "On sign-up");
    expect(actions.selectSequence).not.toHaveBeenCalled();
  });

  it("is marked while a dragged block would land in it", () => {
    const lane = (dropping: boolean) =>
      ({ data: { sequenceId: "seq-1", name: "Later", blocks: 2, active: false, dropping } }) as unknown as NodeProps<LaneNode>;
    const { container, rerender } = render(<LaneNodeView {...lane(false)} />);
    expect(container.querySelector(".lane")).not.toHaveClass("lane-drop");
    rerender(<LaneNodeView {...lane(true)} />);
    expect(container.querySelector(".lane")).toHaveClass("lane-drop");
  });
});
