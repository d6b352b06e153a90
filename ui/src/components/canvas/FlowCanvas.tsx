import {
  Background,
  BackgroundVariant,
  Controls,
  ReactFlow,
  useReactFlow,
  useStore as useFlowStore,
  type NodeChange,
  type NodeMouseHandler,
  type NodeTypes,
} from "@xyflow/react";
import "@xyflow/react/dist/style.css";
import { useCallback, useEffect, useMemo, type KeyboardEvent } from "react";
import type { BotView } from "../../backend/builder.ts";
import { BlockNodeView } from "./BlockNodeView.tsx";
import { CanvasActionsContext, type CanvasActions } from "./CanvasActions.ts";
import { isDeleteKey } from "./deleteKey.ts";
import { LaneNodeView } from "./LaneNodeView.tsx";
import { layout, type CanvasNode } from "./layout.ts";

const NODE_TYPES: NodeTypes = { lane: LaneNodeView, block: BlockNodeView };
const PRO_OPTIONS = { hideAttribution: true };
/** The view opens on the start of the flow: the first few blocks of each lane. */
const FIT_FIRST_BLOCKS = 4;

/**
 * The bot's flow on a pannable, zoomable canvas. Selection is the builder's: a click (or Enter on
 * a focused node) selects a block; Delete or Backspace asks the builder to remove it.
 */
export function FlowCanvas({
  bot,
  selectedBlock,
  activeSequence,
  actions,
  onSelectBlock,
  onDeleteBlock,
  onClearSelection,
}: {
  bot: BotView;
  selectedBlock: string | undefined;
  activeSequence: string | undefined;
  actions: CanvasActions;
  onSelectBlock: (blockId: string, sequenceId: string) => void;
  onDeleteBlock: (blockId: string) => void;
  onClearSelection: () => void;
}) {
  const laid = useMemo(() => layout(bot, activeSequence), [bot, activeSequence]);
  // Only the selected node changes when the selection does; the others keep their identity.
  const nodes = useMemo<CanvasNode[]>(
    () => laid.nodes.map((node) => (node.id === selectedBlock ? { ...node, selected: true } : node)),
    [laid, selectedBlock],
  );
  const fitViewOptions = useMemo(() => {
    const first = bot.flows
      .flatMap((flow) => flow.sequences)
      .flatMap((sequence) => sequence.blocks.slice(0, FIT_FIRST_BLOCKS).map((block) => ({ id: block.id })));
    return first.length > 0 ? { nodes: first, maxZoom: 1, padding: 0.2 } : { maxZoom: 1, padding: 0.2 };
    // Fitted once, when the canvas opens: later edits keep the designer's pan and zoom.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const onNodeClick = useCallback<NodeMouseHandler<CanvasNode>>(
    (_, node) => {
      if (node.type === "block") onSelectBlock(node.id, node.data.sequenceId);
      else actions.selectSequence(node.data.sequenceId);
    },
    [onSelectBlock, actions],
  );

  const onNodesChange = useCallback(
    (changes: NodeChange<CanvasNode>[]) => {
      for (const change of changes) {
        if (change.type === "select" && change.selected) {
          const node = laid.nodes.find((n) => n.id === change.id);
          if (node?.type === "block") onSelectBlock(node.id, node.data.sequenceId);
        }
      }
    },
    [laid, onSelectBlock],
  );

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (!isDeleteKey(event) || selectedBlock === undefined) return;
    event.preventDefault();
    onDeleteBlock(selectedBlock);
  };

  return (
    <CanvasActionsContext.Provider value={actions}>
      <div className="canvas" onKeyDown={onKeyDown} data-testid="canvas">
        <ReactFlow<CanvasNode>
          nodes={nodes}
          edges={laid.edges}
          nodeTypes={NODE_TYPES}
          onNodeClick={onNodeClick}
          onNodesChange={onNodesChange}
          onPaneClick={onClearSelection}
          nodesDraggable={false}
          nodesConnectable={false}
          edgesFocusable={false}
          deleteKeyCode={null}
          selectionKeyCode={null}
          multiSelectionKeyCode={null}
          panOnScroll
          zoomOnDoubleClick={false}
          onlyRenderVisibleElements
          fitView
          fitViewOptions={fitViewOptions}
          minZoom={0.2}
          maxZoom={1.5}
          proOptions={PRO_OPTIONS}
          ariaLabelConfig={{ "node.a11yDescription.default": "Press Enter to open the block, Delete to remove it." }}
        >
          <Background variant={BackgroundVariant.Dots} gap={20} size={1} />
          <Controls showInteractive={false} />
          <KeepInView nodeId={selectedBlock} />
        </ReactFlow>
      </div>
    </CanvasActionsContext.Provider>
  );
}

/**
 * Opening a block's panel narrows the canvas; when that (or any resize) leaves the selected
 * block outside the visible area, the view pans to it, keeping the designer's zoom.
 */
function KeepInView({ nodeId }: { nodeId: string | undefined }) {
  const { getInternalNode, getViewport, setCenter } = useReactFlow<CanvasNode>();
  const width = useFlowStore((state) => state.width);
  const height = useFlowStore((state) => state.height);
  useEffect(() => {
    if (nodeId === undefined || width === 0 || height === 0) return;
    const node = getInternalNode(nodeId);
    if (node === undefined) return;
    const { x, y, zoom } = getViewport();
    const at = node.internals.positionAbsolute;
    const w = node.measured.width ?? 0;
    const h = node.measured.height ?? 0;
    const left = at.x * zoom + x;
    const top = at.y * zoom + y;
    const inside = left >= 0 && top >= 0 && left + w * zoom <= width && top + h * zoom <= height;
    if (!inside) void setCenter(at.x + w / 2, at.y + h / 2, { zoom, duration: 200 });
  }, [nodeId, width, height, getInternalNode, getViewport, setCenter]);
  return null;
}
